package io.reefline.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The misbehaving builds as a sidecar, the rollout-service and kubectl see them: over HTTP and the reef's API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageMisbehaviourTest {

    private static final Duration CRASHLOOP_EVERY = Duration.ofSeconds(3);
    private static final double DEGRADED_ERROR_RATE = 0.5;
    private static final Duration DEGRADED_LATENCY = Duration.ofMillis(900);

    private final HttpClient http = HttpClient.newHttpClient();
    private Sandbox sandbox;
    private SandboxReef reef;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(1)
                .withInstancesPerReef(8)
                .withKubeletDelay(Duration.ofMillis(200))
                .withMalformedInstance(false)
                .withDegradedErrorRate(DEGRADED_ERROR_RATE)
                .withDegradedLatency(DEGRADED_LATENCY)
                .withCrashloopEvery(CRASHLOOP_EVERY));
        reef = sandbox.reefs().get(0);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void aDegradedBuildIsHealthyButServesTheConfiguredErrorRateAndLatency() throws Exception {
        // The busiest instances, so that a few seconds carry enough requests to measure.
        List<String> busiest = instances().stream()
                .sorted(Comparator.comparingDouble(
                        (String id) -> -sandbox.trafficModel().levels(id).requestsPerSecond()))
                .toList();
        String degraded = busiest.get(0);
        String good = busiest.get(1);
        String image = "registry.reefline.local/product:2026.11.2-degraded";
        rollOut(degraded, image);

        HttpResponse<String> health = get(sandbox.healthUrl(reef.name(), degraded));
        assertEquals(200, health.statusCode(), "a degraded build passes its health check");
        assertTrue(health.body().contains(image), health.body());

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> metrics(degraded).get("http_server_requests_total") >= 150);
        Map<String, Double> bad = metrics(degraded);
        double errorRate = bad.get("http_server_errors_total") / bad.get("http_server_requests_total");
        double latencyMs = 1000
                * bad.get("http_server_request_duration_seconds_sum")
                / bad.get("http_server_request_duration_seconds_count");
        assertEquals(DEGRADED_ERROR_RATE, errorRate, 0.15, "error rate " + bad);
        assertEquals(DEGRADED_LATENCY.toMillis(), latencyMs, DEGRADED_LATENCY.toMillis() * 0.35, "latency " + bad);

        Map<String, Double> fine = metrics(good);
        assertTrue(fine.get("http_server_requests_total") > 0, fine.toString());
        assertTrue(
                fine.get("http_server_errors_total") / fine.get("http_server_requests_total") < 0.1, fine.toString());
        assertTrue(
                1000
                                * fine.get("http_server_request_duration_seconds_sum")
                                / fine.get("http_server_request_duration_seconds_count")
                        < 250,
                fine.toString());
    }

    @Test
    void aCrashloopBuildPassesItsFirstChecksThenRestartsAndIsDownOnlyAroundEachRestart() throws Exception {
        String instance = instances().get(2);
        String image = "registry.reefline.local/product:2026.11.3-crashloop";
        String oldPod = sandbox.podName(reef.name(), instance);
        rollOut(instance, image);

        // The checks right after it became available pass, as the rollout-service's post-upgrade checks would.
        for (int i = 0; i < 3; i++) {
            assertEquals(200, get(sandbox.healthUrl(reef.name(), instance)).statusCode(), "check " + i);
        }
        double firstStart = metrics(instance).get("process_start_time_seconds");

        List<double[]> observations = new ArrayList<>(); // {time, up}
        TreeSet<Double> processStarts = new TreeSet<>();
        long until = System.currentTimeMillis() + 2 * CRASHLOOP_EVERY.toMillis() + 1_200;
        while (System.currentTimeMillis() < until) {
            long sent = System.currentTimeMillis();
            HttpResponse<String> health = get(sandbox.healthUrl(reef.name(), instance));
            HttpResponse<String> scrape = get(sandbox.metricsUrl(reef.name(), instance));
            long answered = System.currentTimeMillis();
            observations.add(new double[] {(sent + answered) / 2000.0, health.statusCode() == 200 ? 1 : 0});
            if (scrape.statusCode() == 200) {
                processStarts.add(PrometheusText.parse(scrape.body()).get("process_start_time_seconds"));
            } else {
                assertEquals(503, scrape.statusCode(), "a restarting process has no metrics");
            }
            Thread.sleep(40);
        }

        double every = CRASHLOOP_EVERY.toMillis() / 1000.0;
        assertEquals(
                List.of(firstStart, firstStart + every, firstStart + 2 * every),
                new ArrayList<>(processStarts),
                "the process starts again at each restart");
        for (int k = 1; k <= 2; k++) {
            double restart = firstStart + k * every;
            assertTrue(
                    observations.stream().anyMatch(o -> o[1] == 0 && Math.abs(o[0] - restart) < 0.6),
                    "down around restart " + k);
        }
        // Down from 0.3 s before to 0.5 s after a restart of a 3 s loop (a tenth and a sixth of it), and only then.
        double slack = 0.15;
        for (double[] o : observations) {
            if (o[1] == 0) {
                double sinceStart = o[0] - firstStart;
                double offset = sinceStart - Math.round(sinceStart / every) * every;
                assertTrue(
                        Math.round(sinceStart / every) >= 1 && offset > -0.3 - slack && offset < 0.5 + slack,
                        "down " + sinceStart + " s after the pod started");
            }
        }

        // kubectl sees the restarts on the pod that replaced the old one.
        String pod = sandbox.podName(reef.name(), instance);
        assertTrue(!pod.equals(oldPod), "the rollout replaced the pod");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            ContainerStatus app = container(pod);
            assertEquals(2, app.getRestartCount());
            assertEquals(137, app.getLastState().getTerminated().getExitCode());
        });
    }

    @Test
    void theMetricsEndpointSpeaksThePrometheusTextFormat() throws Exception {
        String instance = instances().get(4);
        HttpResponse<String> first = get(sandbox.metricsUrl(reef.name(), instance));
        assertEquals(200, first.statusCode());
        assertEquals(
                "text/plain; version=0.0.4; charset=utf-8",
                first.headers().firstValue("Content-Type").orElse(""));
        Map<String, Double> before = PrometheusText.parse(first.body());
        assertEquals(
                List.of(
                        "http_server_requests_total",
                        "http_server_errors_total",
                        "http_server_request_duration_seconds_sum",
                        "http_server_request_duration_seconds_count",
                        "process_start_time_seconds"),
                List.copyOf(before.keySet()));
        assertTrue(first.body().contains("# TYPE http_server_requests_total counter\n"), first.body());
        assertTrue(first.body().contains("# TYPE http_server_request_duration_seconds summary\n"), first.body());
        assertTrue(first.body().contains("# TYPE process_start_time_seconds gauge\n"), first.body());
        assertTrue(before.get("process_start_time_seconds") * 1000 <= System.currentTimeMillis());

        Thread.sleep(1_100);
        Map<String, Double> after = metrics(instance);
        assertTrue(after.get("http_server_requests_total") > before.get("http_server_requests_total"), "counters grow");
        assertTrue(after.get("http_server_errors_total") >= before.get("http_server_errors_total"));
        assertTrue(after.get("http_server_request_duration_seconds_sum")
                > before.get("http_server_request_duration_seconds_sum"));
        assertEquals(before.get("process_start_time_seconds"), after.get("process_start_time_seconds"));

        assertEquals(404, get(sandbox.metricsUrl(reef.name(), "i-nope-001")).statusCode());
    }

    @Test
    void aBrokenBuildHasNoMetrics() throws Exception {
        String instance = instances().get(6);
        deployment(instance).edit(d -> withImage(d, "registry.reefline.local/product:2026.11.2-broken"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> get(sandbox.healthUrl(reef.name(), instance)).statusCode() == 503);
        assertEquals(503, get(sandbox.metricsUrl(reef.name(), instance)).statusCode());
    }

    private void rollOut(String instance, String image) {
        deployment(instance).edit(d -> withImage(d, image));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            HttpResponse<String> health = get(sandbox.healthUrl(reef.name(), instance));
            return health.statusCode() == 200 && health.body().contains(image);
        });
    }

    private ContainerStatus container(String pod) {
        Pod current =
                reef.client().pods().inNamespace("instances").withName(pod).get();
        return current.getStatus().getContainerStatuses().stream()
                .filter(c -> c.getName().equals("app"))
                .findFirst()
                .orElseThrow();
    }

    private List<String> instances() {
        return reef.client().apps().deployments().inNamespace("instances").list().getItems().stream()
                .map(d -> d.getMetadata().getName())
                .sorted()
                .toList();
    }

    private io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment> deployment(String id) {
        return reef.client().apps().deployments().inNamespace("instances").withName(id);
    }

    private Map<String, Double> metrics(String instance) throws Exception {
        HttpResponse<String> response = get(sandbox.metricsUrl(reef.name(), instance));
        assertEquals(200, response.statusCode(), response.body());
        return PrometheusText.parse(response.body());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Deployment withImage(Deployment deployment, String image) {
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
        return deployment;
    }
}
