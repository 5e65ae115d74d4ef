package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The line stops itself, end to end, at the demo's pace: the sandbox's three reefs of 40 instances report every
 * instance's signal windows every 15 s through each reef's cell (a real cell process per reef, pod tokens, TokenReview)
 * to the hub's rollout-service, which drives releases with the demo's ring policy ({@code sandbox/sandbox-policy.json}:
 * Canary judged every 30 s; only Staff's soak is cut to 5 s, to keep the test short) and the demo's scheduler pace (a
 * tick every 2 s, 10 s of health checks).
 *
 * <ol>
 *   <li>A {@code degraded} build passes its upgrades' health checks and serves errors and latency: canary analysis
 *       pulls the cord during Canary, before any Stable instance is upgraded, within 15 minutes of the first canary
 *       upgrade; the cord's evidence names the metric and the comparison.
 *   <li>A {@code crashloop} build (restarting every 30 s here) passes every health check at upgrade time: it is
 *       stopped in Canary too.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryAnalysisIT {

    private static final int REEFS = 3;
    private static final int INSTANCES_PER_REEF = 40;
    private static final String IMAGE = "registry.reefline.local/product:";
    private static final String DEGRADED = "2026.11.1-degraded";
    private static final String CRASHLOOP = "2026.11.2-crashloop";

    private static ServiceKeys keys;
    private static Sandbox sandbox;
    private static ServiceProcess andon;
    private static ServiceProcess rollout;
    private static ServiceProcess metrics;
    private static final List<ServiceProcess> cells = new ArrayList<>();

    @BeforeAll
    static void startFleetCellsAndHub() throws Exception {
        Path work = Files.createTempDirectory("reefline-canary-analysis-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        int andonPort = ServiceProcess.freePort();
        int rolloutPort = ServiceProcess.freePort();
        String andonUrl = "http://127.0.0.1:" + andonPort;
        String rolloutUrl = "http://127.0.0.1:" + rolloutPort;
        int metricsPort = ServiceProcess.freePort();
        String metricsUrl = "http://127.0.0.1:" + metricsPort;

        List<String> reefNames = List.of("reef-us-1", "reef-eu-1", "reef-au-1");
        Map<String, Integer> cellPorts = new HashMap<>();
        SandboxSpec spec = SandboxSpec.defaults()
                .withReefs(REEFS)
                .withInstancesPerReef(INSTANCES_PER_REEF)
                .withMalformedInstance(false)
                .withCrashloopEvery(Duration.ofSeconds(30));
        for (String reef : reefNames) {
            int port = ServiceProcess.freePort();
            cellPorts.put(reef, port);
            spec = spec.withSignalsTo(reef, URI.create("http://127.0.0.1:" + port));
        }
        sandbox = Sandbox.start(spec);
        assertEquals(reefNames, sandbox.reefs().stream().map(SandboxReef::name).toList());
        Path kubeconfig = work.resolve("kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        Properties reefs = Scenarios.reefSettings(sandbox, kubeconfig);

        Map<String, String> andonProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        andonProperties.put("reefline.services.metrics", metricsUrl);
        Map<String, String> rolloutProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        rolloutProperties.put("reefline.services.andon", andonUrl);
        rolloutProperties.put("reefline.services.metrics", metricsUrl);
        // The demo's pace (./suite): a tick every 2 s, 10 s of post-upgrade checks.
        rolloutProperties.put("reefline.upgrades.tick", "2s");
        rolloutProperties.put("reefline.upgrades.soak", "PT10S");
        rolloutProperties.put("reefline.upgrades.rollout-timeout", "PT2M");
        reefs.stringPropertyNames().forEach(name -> rolloutProperties.put(name, reefs.getProperty(name)));
        metrics = ServiceProcess.start("metrics", metricsPort, work.resolve("metrics"), keys.withKeys(Map.of()));
        andon = ServiceProcess.start("andon", andonPort, work.resolve("andon"), keys.withKeys(andonProperties));
        rollout =
                ServiceProcess.start("rollout", rolloutPort, work.resolve("rollout"), keys.withKeys(rolloutProperties));
        for (String reef : reefNames) {
            Map<String, String> cell = new HashMap<>();
            cell.put("reefline.cell.reef", reef);
            cell.put(
                    "reefline.cell.data-dir",
                    work.resolve("cell-" + reef).resolve("data").toString());
            cell.put("reefline.services.andon", andonUrl);
            cell.put("reefline.services.metrics", metricsUrl);
            cell.put("reefline.services.rollout", rolloutUrl);
            cell.put("reefline.auth.service-token", keys.cellToken(reef));
            cell.put("reefline.cell.instances.api-server", sandbox.reef(reef).url());
            cell.put("reefline.cell.relay.max-backoff", "PT2S");
            cells.add(ServiceProcess.start(
                    "cell", cellPorts.get(reef), work.resolve("cell-" + reef), keys.withKeys(cell)));
        }
        metrics.awaitReady(Duration.ofSeconds(150));
        andon.awaitReady(Duration.ofSeconds(150));
        rollout.awaitReady(Duration.ofSeconds(150));
        Path demoPolicy = Path.of(System.getProperty("user.dir")).getParent().resolve("sandbox/sandbox-policy.json");
        // The demo's policy, with Staff's soak cut from a minute to 5 s: time to detect counts from the first canary.
        String policy = Files.readString(demoPolicy);
        assertTrue(policy.contains("\"soak\": \"PT1M\""), policy);
        Scenarios.storePolicy(rollout, keys, policy.replaceFirst("\"soak\": \"PT1M\"", "\"soak\": \"PT5S\""));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> given().auth()
                                .oauth2(keys.token("viewer"))
                                .get(rollout.url() + "/api/instances?size=1")
                                .jsonPath()
                                .getInt("total")
                        == REEFS * INSTANCES_PER_REEF);
        // Windows of every reef reach the hub through its reef's cell before a release is registered (a cell is
        // ready only once it has the flag primary's snapshot, which this test does not run: its relay works anyway).
        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> reefNames.stream()
                        .allMatch(reef -> windows("i-" + reef.substring(5, 7) + reef.charAt(8) + "-002") > 0));
    }

    @AfterAll
    static void stopAll() {
        List<AutoCloseable> parts = new ArrayList<>(cells);
        parts.add(rollout);
        parts.add(andon);
        parts.add(metrics);
        parts.add(sandbox);
        Scenarios.stop(parts.toArray(AutoCloseable[]::new));
    }

    @Test
    @Order(1)
    void aDegradedBuildIsStoppedInCanaryWithinFifteenMinutesBeforeAnyStableInstance() {
        Scenarios.registerRelease(rollout, keys, DEGRADED, IMAGE + DEGRADED);

        JsonPath cord = awaitAnalysisCord(DEGRADED, Duration.ofMinutes(15));
        List<Map<String, Object>> upgrades = upgrades(DEGRADED);
        Instant firstCanary = upgrades.stream()
                .filter(u -> "Canary".equals(u.get("ring")) && u.get("startedAt") != null)
                .map(u -> Instant.parse((String) u.get("startedAt")))
                .min(Instant::compareTo)
                .orElseThrow();
        Instant detected = Instant.parse(cord.getString("detectedAt"));
        Duration toDetect = Duration.between(firstCanary, detected);
        System.out.printf(
                "degraded build: first canary upgrade %s, cord %s: time to detect %d s; %s%n",
                firstCanary, detected, toDetect.toSeconds(), cord.getString("reason"));
        assertTrue(toDetect.compareTo(Duration.ofMinutes(15)) < 0, "time to detect " + toDetect);
        assertEquals("canary", cord.getString("ring"));
        assertEquals("FAIL", cord.getString("evidence.outcome"));
        List<String> failed = cord.getList("evidence.metrics.findAll { it.outcome == 'FAIL' }.metric");
        assertFalse(failed.isEmpty(), "the evidence names the failing metric: " + cord.prettify());
        assertTrue(
                failed.stream().anyMatch(m -> m.equals("ERROR_RATE") || m.equals("LATENCY")),
                "error rate or latency failed: " + failed);
        assertTrue(cord.getString("reason").contains("vs control"), cord.getString("reason"));
        assertTrue(cord.getDouble("evidence.metrics.find { it.outcome == 'FAIL' }.pValue") < 0.001);

        sleep(Duration.ofSeconds(4)); // two more ticks: still nothing past Canary
        assertTrue(
                upgrades(DEGRADED).stream().noneMatch(u -> "Stable".equals(u.get("ring"))),
                "no Stable instance was upgraded");
        String board = given().cookie("reefline_token", keys.token("viewer"))
                .get(rollout.url() + "/ui/releases")
                .asString();
        assertTrue(board.contains("analysis FAIL"), "the board shows the verdict");

        // The cord reaches metrics-service as an incident of ring canary: time to detect from the release's first
        // upgrade to the analysis' detection.
        Instant impact = Instant.parse(cord.getString("impactStartedAt"));
        long expected = Duration.between(impact, detected).toSeconds();
        String day = detected.toString().substring(0, 10);
        String next = detected.plus(Duration.ofDays(1)).toString().substring(0, 10);
        JsonPath dora = await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(2))
                .until(
                        () -> given().auth()
                                .oauth2(keys.token("viewer"))
                                .get(metrics.url() + "/api/dora?from=" + day + "&to=" + next + "&groupBy=week")
                                .jsonPath(),
                        json -> json.get("total.metrics.timeToDetect.byRing.canary.samples") != null
                                && json.getInt("total.metrics.timeToDetect.byRing.canary.samples") == 1);
        double median = dora.getDouble(
                "total.metrics.timeToDetect.byRing.canary.statistics.find { it.statistic == 'median' }.value");
        System.out.printf("metrics-service: time to detect in ring canary %.0f s (the cord: %d s)%n", median, expected);
        assertTrue(Math.abs(median - expected) <= 1.5, median + " s against " + expected + " s");
    }

    @Test
    @Order(2)
    void aCrashLoopingBuildWhoseHealthChecksAllPassedIsStoppedInCanary() {
        Scenarios.registerRelease(rollout, keys, CRASHLOOP, IMAGE + CRASHLOOP);

        JsonPath cord = awaitAnalysisCord(CRASHLOOP, Duration.ofMinutes(12));
        List<Map<String, Object>> canaries = upgrades(CRASHLOOP).stream()
                .filter(u -> "Canary".equals(u.get("ring")))
                .toList();
        assertFalse(canaries.isEmpty());
        assertTrue(
                canaries.stream().allMatch(u -> "succeeded".equals(u.get("state"))),
                "every canary upgrade passed its health checks: " + canaries);
        List<String> failed = cord.getList("evidence.metrics.findAll { it.outcome == 'FAIL' }.metric");
        System.out.printf("crash-looping build: %s%n", cord.getString("reason"));
        assertTrue(
                failed.stream().anyMatch(m -> m.equals("RESTARTS") || m.equals("HEALTH_FAILURES")),
                "restarts or failed health checks: " + failed);
        assertTrue(upgrades(CRASHLOOP).stream().noneMatch(u -> "Stable".equals(u.get("ring"))));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static JsonPath awaitAnalysisCord(String version, Duration within) {
        String scope = "release:" + version;
        List<JsonPath> found = new ArrayList<>();
        await().atMost(within).pollInterval(Duration.ofSeconds(3)).until(() -> {
            JsonPath cords = given().auth()
                    .oauth2(keys.token("viewer"))
                    .get(andon.url() + "/api/cords?state=open&size=100")
                    .jsonPath();
            List<Map<String, Object>> items = cords.getList("items");
            for (int i = 0; i < items.size(); i++) {
                if (scope.equals(items.get(i).get("scope")) && items.get(i).get("evidence") != null) {
                    found.add(JsonPath.from(cords.prettify()).setRootPath("items[" + i + "]"));
                    return true;
                }
            }
            assertTrue(
                    upgrades(version).stream().noneMatch(u -> "Stable".equals(u.get("ring"))),
                    "a Stable instance was upgraded before the analysis stopped " + version);
            return false;
        });
        return found.get(0);
    }

    private static List<Map<String, Object>> upgrades(String version) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .get(rollout.url() + "/api/upgrades?size=1000&release=" + version)
                .jsonPath()
                .getList("items");
    }

    private static int windows(String instance) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .contentType(ContentType.JSON)
                .get(rollout.url() + "/api/signals?size=1&instance=" + instance)
                .jsonPath()
                .getInt("total");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
