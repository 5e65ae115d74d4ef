package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A cord pulled in one reef stops the whole fleet, also when the hub's andon-service is down at the time. The hub
 * (andon-service, metrics-service, rollout-service driving three sandbox reefs A, B, C) and reef B's cell run as
 * processes. With andon down, a viewer pulls a cord through reef B's cell (the endpoint the instance sidecar uses);
 * the cell is then killed and restarted (the pull must survive on its disk), and andon comes back: the cord arrives
 * exactly once, recorded with the original puller, reef B and the cell's pull time, the gate is closed, and a release
 * registered afterwards is held in every reef with nothing upgraded.
 *
 * <p>Then a real instance sidecar process beside an instance of reef B, holding nothing but its pod's service-account
 * token from the sandbox (no Reefline token), pulls a cord for the release its pod runs through the cell, which has
 * reef B's API review the token: the cord reaches the hub attributed to that instance and pod. The same token cannot
 * pull a cord for another release (403), and a forged one gets nowhere (401). Meanwhile the sidecar reports its signal
 * samples through the cell, which forwards them with reef B set to the hub's signal receiver (a recording stand-in for
 * rollout-service's {@code POST /api/signals} here).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CellRelayIT {

    private static final String NAMESPACE = "instances";
    private static final String VERSION = "2026.11.1";
    private static final String IMAGE = "registry.reefline.local/product:2026.11.1";
    private static final int REEFS = 3;
    private static final int INSTANCES_PER_REEF = 2;
    /** The release every sandbox instance's pod runs. */
    private static final String RUNNING = "2026.11.0";
    /** One ring over every instance of every reef, so the release would start in all three at once. */
    private static final String POLICY = """
            {"rings":[
              {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"PT30M","windowsApply":false}],
             "inFlightLimitPerReef":3,"expectedUpgrade":"PT10S","canaryRotation":0}
            """;

    private static Path work;
    private static ServiceKeys keys;
    private static Sandbox sandbox;
    private static ServiceProcess metrics;
    private static ServiceProcess andon;
    private static ServiceProcess rollout;
    private static ServiceProcess cell;
    private static int andonPort;
    private static Map<String, String> andonProperties;
    private static int cellPort;
    private static Map<String, String> cellProperties;
    private static List<String> reefNames;
    private static Path podTokens;
    private static Process sidecar;
    /** Stands in for rollout-service's {@code POST /api/signals}: records each sample with its Idempotency-Key. */
    private static HttpServer signalReceiver;

    private record ReceivedSignal(String idempotencyKey, String authorization, JsonNode body) {}

    private static final List<ReceivedSignal> SIGNALS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startHubAndCell() throws Exception {
        work = Files.createTempDirectory("reefline-cell-relay-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(REEFS)
                .withInstancesPerReef(INSTANCES_PER_REEF)
                .withKubeletDelay(Duration.ofMillis(200))
                .withMalformedInstance(false));
        reefNames = sandbox.reefs().stream().map(SandboxReef::name).toList();
        Path kubeconfig = work.resolve("kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        Properties reefs = Scenarios.reefSettings(sandbox, kubeconfig);
        podTokens = work.resolve("pod-tokens");
        sandbox.writeServiceAccountTokens(podTokens, Sandbox.CELL_AUDIENCE);

        int metricsPort = ServiceProcess.freePort();
        andonPort = ServiceProcess.freePort();
        int rolloutPort = ServiceProcess.freePort();
        cellPort = ServiceProcess.freePort();
        String metricsUrl = "http://127.0.0.1:" + metricsPort;
        String andonUrl = "http://127.0.0.1:" + andonPort;
        andonProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        andonProperties.put("reefline.services.metrics", metricsUrl);
        andonProperties = keys.withKeys(andonProperties);
        Map<String, String> rolloutProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        rolloutProperties.put("reefline.services.andon", andonUrl);
        rolloutProperties.put("reefline.services.metrics", metricsUrl);
        rolloutProperties.put("reefline.upgrades.tick", "1s");
        reefs.stringPropertyNames().forEach(name -> rolloutProperties.put(name, reefs.getProperty(name)));

        signalReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        signalReceiver.createContext("/api/signals", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            SIGNALS.add(new ReceivedSignal(
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    new ObjectMapper().readTree(body)));
            byte[] answer = "{\"stored\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        signalReceiver.start();

        cellProperties = new HashMap<>();
        cellProperties.put("reefline.cell.reef", reefB());
        cellProperties.put(
                "reefline.cell.data-dir", work.resolve("cell").resolve("data").toString());
        cellProperties.put("reefline.services.andon", andonUrl);
        cellProperties.put("reefline.services.metrics", metricsUrl);
        cellProperties.put(
                "reefline.services.rollout",
                "http://127.0.0.1:" + signalReceiver.getAddress().getPort());
        cellProperties.put("reefline.auth.service-token", keys.cellToken(reefB()));
        cellProperties.put(
                "reefline.cell.instances.api-server", sandbox.reef(reefB()).url());
        cellProperties.put("reefline.cell.relay.max-backoff", "PT1S");
        cellProperties = keys.withKeys(cellProperties);

        // Started together: each takes a while to boot on a small machine.
        metrics = ServiceProcess.start("metrics", metricsPort, work.resolve("metrics"), keys.withKeys(Map.of()));
        andon = startAndon();
        rollout =
                ServiceProcess.start("rollout", rolloutPort, work.resolve("rollout"), keys.withKeys(rolloutProperties));
        cell = startCell();
        metrics.awaitReady(Duration.ofSeconds(150));
        andon.awaitReady(Duration.ofSeconds(150));
        rollout.awaitReady(Duration.ofSeconds(150));
        awaitRelay(cell);

        Scenarios.storePolicy(rollout, keys, POLICY);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> instanceCount() == REEFS * INSTANCES_PER_REEF);
    }

    @AfterAll
    static void stopAll() {
        if (sidecar != null) {
            sidecar.destroyForcibly();
        }
        if (signalReceiver != null) {
            signalReceiver.stop(0);
        }
        Scenarios.stop(cell, rollout, andon, metrics, sandbox);
    }

    @Test
    @Order(1)
    void shouldDeliverACordPulledInReefBWhileTheHubsAndonWasDownExactlyOnceAndHoldTheFleet() throws Exception {
        Map<String, String> imagesBefore = images();
        andon.close();

        Instant beforePull = Instant.now();
        String relayId = given().auth()
                .oauth2(keys.token("viewer"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "console-pull-1")
                .body("{\"reason\":\"Checkout fails for customers in " + reefB()
                        + "\",\"category\":\"doesnt-look-right\"," + "\"severity\":\"SEV-1\",\"scope\":\"global\"}")
                .when()
                .post(cell.url() + "/api/cords")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Instant afterPull = Instant.now();

        // The cell dies with the pull still owed to the hub; it is on disk, and a new cell process sends it.
        sleep(Duration.ofMillis(500));
        cell.kill();
        assertEquals(1, spooledFiles(), "the pull waits in the cell's spool");
        cell = startCell();
        awaitRelay(cell);

        andon = startAndon().awaitReady(Duration.ofSeconds(150));
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> openCords().size() >= 1);
        // Resends (the cell's first attempts after the restart, a repeat of the pull) change nothing.
        given().auth()
                .oauth2(keys.token("viewer"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "console-pull-1")
                .body("{\"reason\":\"again\",\"category\":\"other\",\"scope\":\"global\"}")
                .when()
                .post(cell.url() + "/api/cords")
                .then()
                .statusCode(202)
                .body("id", org.hamcrest.Matchers.equalTo(relayId));
        await().atMost(Duration.ofSeconds(10)).until(() -> spooledFiles() == 0);
        sleep(Duration.ofSeconds(1));

        List<Map<String, Object>> open = openCords();
        assertEquals(1, open.size(), "exactly one open cord: " + open);
        Map<String, Object> cord = open.get(0);
        assertEquals(reefB(), cord.get("pulledInReef"));
        assertEquals("system-test-viewer", cord.get("pulledBy"), "the person who pulled, not the cell");
        Instant pulledAt = Instant.parse((String) cord.get("pulledAt"));
        assertFalse(pulledAt.isBefore(beforePull.minusSeconds(1)), "pulled at the cell's time: " + pulledAt);
        assertFalse(pulledAt.isAfter(afterPull.plusSeconds(1)), "not when the hub heard of it: " + pulledAt);
        assertEquals("Checkout fails for customers in " + reefB(), cord.get("reason"));

        given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("release", VERSION)
                .when()
                .get(andon.url() + "/api/gate")
                .then()
                .statusCode(423);

        // A release registered now is held in every reef: the gate is closed for the whole fleet.
        Scenarios.registerRelease(rollout, keys, VERSION, IMAGE);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> reefNames.stream().allMatch(reef -> heldIn(reef)));
        sleep(Duration.ofSeconds(2));
        assertEquals(0, upgradeCount(), "no upgrade planned or started anywhere");
        assertEquals(imagesBefore, images(), "no instance was patched");
    }

    @Test
    @Order(2)
    void shouldLetASidecarPullACordForItsOwnReleaseWithItsPodsTokenOnly() throws Exception {
        String instance = instanceOf(reefB());
        Path tokenFile = podTokens.resolve(reefB()).resolve(instance).resolve("token");
        String pod = sandbox.podName(reefB(), instance);
        int reviewsBefore = sandbox.tokenReviews(reefB());

        // The instance is down (nothing answers its health URL) on the release its pod runs: after a second the
        // sidecar pulls the cord for that release, with nothing but its pod's token.
        Path sidecarLog = work.resolve("sidecar.log");
        ProcessBuilder start = new ProcessBuilder(
                        System.getProperty("reefline.java", "java"),
                        "-Xmx32m",
                        "-jar",
                        Path.of(System.getProperty("reefline.repo", ".."))
                                .resolve("instance-sidecar/target/instance-sidecar.jar")
                                .toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(sidecarLog.toFile()));
        Map<String, String> env = start.environment();
        env.put("SIDECAR_INSTANCE_ID", instance);
        env.put("SIDECAR_HEALTH_URL", "http://127.0.0.1:" + ServiceProcess.freePort() + "/q/health/ready");
        env.put("SIDECAR_ANDON_URL", cell.url());
        env.put("SIDECAR_METRICS_URL", cell.url());
        env.put("SIDECAR_TOKEN_FILE", tokenFile.toString());
        env.put("SIDECAR_VERSION", RUNNING);
        env.put("SIDECAR_INTERVAL", "PT0.2S");
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", "PT1S");
        env.put("SIDECAR_SIGNAL_INTERVAL", "PT1S");
        sidecar = start.start();

        String attribution = "instance " + instance + " (pod instances/" + pod + ")";
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> openCords().stream().anyMatch(c -> attribution.equals(c.get("pulledBy"))));
        // Its signal samples went the same way: through the cell, with reef B, under the cell's own token.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> SIGNALS.stream()
                        .anyMatch(
                                s -> instance.equals(s.body().path("instanceId").asText())));
        sidecar.destroy();
        ReceivedSignal signal = SIGNALS.stream()
                .filter(s -> instance.equals(s.body().path("instanceId").asText()))
                .findFirst()
                .orElseThrow();
        JsonNode sample = signal.body();
        assertEquals(reefB(), sample.get("reef").asText(), "set by the cell");
        assertEquals(RUNNING, sample.get("version").asText());
        assertTrue(sample.get("healthChecks").asInt() > 0, sample.toString());
        assertEquals(
                sample.get("healthChecks").asInt(), sample.get("healthFailures").asInt(), "nothing answers");
        assertTrue(sample.get("requests").isNull(), "no Prometheus endpoint configured: " + sample);
        assertEquals(
                "signal-" + instance + "-"
                        + Instant.parse(sample.get("from").asText()).getEpochSecond(),
                signal.idempotencyKey());
        assertFalse(signal.authorization().contains(Files.readString(tokenFile).strip()), "the cell's token");
        Map<String, Object> cord = openCords().stream()
                .filter(c -> attribution.equals(c.get("pulledBy")))
                .findFirst()
                .orElseThrow();
        assertEquals("release:" + RUNNING, cord.get("scope"));
        assertEquals(reefB(), cord.get("pulledInReef"));
        assertTrue(sandbox.tokenReviews(reefB()) > reviewsBefore, "the cell asked reef B's API");
        assertTrue(Files.readString(sidecarLog).contains("Pulling the andon cord for release " + RUNNING));

        // The same pod's token may not stop another release, nor any other instance's work.
        String token = Files.readString(tokenFile);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"not mine\",\"category\":\"other\",\"scope\":\"release:" + VERSION + "\"}")
                .when()
                .post(cell.url() + "/api/cords")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // A token rewritten to claim another pod is refused by reef B's API.
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace(pod, sandbox.podName(reefB(), otherInstanceOf(reefB(), instance)));
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        given().auth()
                .oauth2(forged)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"release:" + RUNNING + "\"}")
                .when()
                .post(cell.url() + "/api/cords")
                .then()
                .statusCode(401);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    /** The first instance of {@code reef}, by name. */
    private static String instanceOf(String reef) {
        return sandbox.reef(reef).client().apps().deployments().inNamespace(NAMESPACE).list().getItems().stream()
                .map(d -> d.getMetadata().getName())
                .sorted()
                .findFirst()
                .orElseThrow();
    }

    private static String otherInstanceOf(String reef, String instance) {
        return sandbox.reef(reef).client().apps().deployments().inNamespace(NAMESPACE).list().getItems().stream()
                .map(d -> d.getMetadata().getName())
                .filter(name -> !name.equals(instance))
                .sorted()
                .findFirst()
                .orElseThrow();
    }

    private static String reefB() {
        return reefNames.get(1);
    }

    private static ServiceProcess startAndon() {
        return ServiceProcess.start("andon", andonPort, work.resolve("andon"), andonProperties);
    }

    private static ServiceProcess startCell() {
        return ServiceProcess.start("cell", cellPort, work.resolve("cell"), cellProperties);
    }

    /**
     * Waits until the relay answers: a pull without a token is refused with 401 once the cell listens. (The cell's
     * {@code /q/health/ready} belongs to another part of the cell; the relay's own route is enough here.)
     */
    private static void awaitRelay(ServiceProcess process) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the cell exited; log: " + process.tail());
                    }
                    return given().contentType(ContentType.JSON)
                                    .body("{}")
                                    .when()
                                    .post(process.url() + "/api/cords")
                                    .statusCode()
                            == 401;
                });
    }

    private static long spooledFiles() throws IOException {
        Path andonSpool = work.resolve("cell").resolve("data").resolve("relay").resolve("andon");
        if (!Files.isDirectory(andonSpool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(andonSpool)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".json"))
                    .count();
        }
    }

    private static List<Map<String, Object>> openCords() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("state", "open")
                .queryParam("size", 200)
                .when()
                .get(andon.url() + "/api/cords")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static boolean heldIn(String reef) {
        List<String> held = given().auth()
                .oauth2(keys.token("viewer"))
                .when()
                .get(rollout.url() + "/api/upgrades/scheduler")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("lastTick.held", String.class);
        return held != null
                && held.stream()
                        .anyMatch(h -> h.startsWith(VERSION + " in " + reef + "/") && h.contains("andon gate closed"));
    }

    private static int upgradeCount() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("release", VERSION)
                .when()
                .get(rollout.url() + "/api/upgrades")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getInt("total");
    }

    private static int instanceCount() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("size", 500)
                .when()
                .get(rollout.url() + "/api/instances")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items")
                .size();
    }

    /** Every instance's image, read straight from the sandbox reefs. */
    private static Map<String, String> images() {
        Map<String, String> all = new TreeMap<>();
        for (SandboxReef reef : sandbox.reefs()) {
            for (Deployment d : reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()) {
                all.put(
                        d.getMetadata().getName(),
                        d.getSpec()
                                        .getTemplate()
                                        .getSpec()
                                        .getContainers()
                                        .get(0)
                                        .getImage() + "@" + d.getMetadata().getGeneration());
            }
        }
        assertTrue(all.size() == REEFS * INSTANCES_PER_REEF, "instances: " + all.keySet());
        return all;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
