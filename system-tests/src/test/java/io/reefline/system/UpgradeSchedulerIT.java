package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The upgrade scheduler against real processes: rollout-service drives two sandbox reefs, asks andon-service's gate,
 * pulls cords through its outbox and reports deployments to metrics-service, all over HTTP. rollout-service is killed
 * in the middle of a wave and must finish it without upgrading any instance twice; a broken image is restored on the
 * first instance it reaches and stops the release there; with a second replica on the same database only one acts,
 * and when it is killed the other finishes the release.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpgradeSchedulerIT {

    private static final String NAMESPACE = "instances";
    private static final String GOOD_VERSION = "2026.11.1";
    private static final String GOOD_IMAGE = "registry.reefline.local/product:2026.11.1";
    private static final String BROKEN_VERSION = "2026.11.2-broken";
    private static final String BROKEN_IMAGE = "registry.reefline.local/product:2026.11.2-broken";
    private static final String FIX_VERSION = "2026.11.3";
    private static final String FIX_IMAGE = "registry.reefline.local/product:2026.11.3";
    private static final String STAFF_INSTANCE = "i-us1-001";
    private static final int REEFS = 2;
    private static final int INSTANCES_PER_REEF = 6;
    private static final int INSTANCES = REEFS * INSTANCES_PER_REEF;

    /** Seconds instead of days: every ring soaks briefly, three upgrades in flight per reef. */
    private static final String POLICY = """
            {"rings":[
              {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT5S","deadline":"PT10M","windowsApply":false},
              {"name":"Canary","selector":{"type":"percentage","percent":20},"soak":"PT5S","deadline":"PT10M"},
              {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"PT30M"},
              {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"PT30M"}],
             "inFlightLimitPerReef":3,"expectedUpgrade":"PT10S","canaryRotation":0}
            """;

    private static Path work;
    private static ServiceKeys keys;
    private static Sandbox sandbox;
    private static ServiceProcess andon;
    private static ServiceProcess metrics;
    private static ServiceProcess rollout;
    private static int rolloutPort;
    private static Map<String, String> rolloutProperties;

    @BeforeAll
    static void startFleetAndServices() throws Exception {
        work = Files.createTempDirectory("reefline-upgrade-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(REEFS)
                .withInstancesPerReef(INSTANCES_PER_REEF)
                .withKubeletDelay(Duration.ofSeconds(1))
                .withMalformedInstance(false));
        Path kubeconfig = work.resolve("kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        Properties reefs = Scenarios.reefSettings(sandbox, kubeconfig);

        int metricsPort = ServiceProcess.freePort();
        int andonPort = ServiceProcess.freePort();
        rolloutPort = ServiceProcess.freePort();
        String metricsUrl = "http://127.0.0.1:" + metricsPort;
        String andonUrl = "http://127.0.0.1:" + andonPort;

        Map<String, String> andonProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        andonProperties.put("reefline.services.metrics", metricsUrl);
        rolloutProperties = new HashMap<>(Scenarios.FAST_OUTBOX);
        rolloutProperties.put("reefline.services.andon", andonUrl);
        rolloutProperties.put("reefline.services.metrics", metricsUrl);
        rolloutProperties.put("reefline.upgrades.tick", "1s");
        rolloutProperties.put("reefline.upgrades.soak", "PT2S");
        rolloutProperties.put("reefline.upgrades.rollout-timeout", "PT60S");
        reefs.stringPropertyNames().forEach(name -> rolloutProperties.put(name, reefs.getProperty(name)));
        rolloutProperties = keys.withKeys(rolloutProperties);

        // Started together: each takes a while to boot on a small machine.
        metrics = ServiceProcess.start("metrics", metricsPort, work.resolve("metrics"), keys.withKeys(Map.of()));
        andon = ServiceProcess.start("andon", andonPort, work.resolve("andon"), keys.withKeys(andonProperties));
        rollout = startRollout();
        metrics.awaitReady(Duration.ofSeconds(150));
        andon.awaitReady(Duration.ofSeconds(150));
        rollout.awaitReady(Duration.ofSeconds(150));

        Scenarios.storePolicy(rollout, keys, POLICY);
        // The inventory has discovered the whole fleet before any release is registered.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> instances().size() == INSTANCES);
    }

    @AfterAll
    static void stopAll() {
        Scenarios.stop(rollout, andon, metrics, sandbox);
    }

    @Test
    @Order(1)
    void shouldFinishWaveAfterCrashWithoutUpgradingAnyInstanceTwice() {
        Map<String, Deployment> before = deployments();
        assertEquals(INSTANCES, before.size());
        registerRelease(GOOD_VERSION, GOOD_IMAGE);

        // Kill the service while some upgrades have finished and others are in flight.
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Map<String, Long> states = countByState(upgrades(GOOD_VERSION));
                    long inFlight = states.getOrDefault("planned", 0L)
                            + states.getOrDefault("started", 0L)
                            + states.getOrDefault("verifying", 0L);
                    return states.getOrDefault("succeeded", 0L) >= 3 && inFlight >= 1;
                });
        Map<String, Long> atKill = countByState(upgrades(GOOD_VERSION));
        rollout.kill();
        System.out.println("Killed rollout-service in the middle of the wave, upgrades by state: " + atKill);

        rollout = startRollout().awaitReady(Duration.ofSeconds(150));

        await().atMost(Duration.ofSeconds(150))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    List<Map<String, Object>> upgrades = upgrades(GOOD_VERSION);
                    return upgrades.stream()
                                            .filter(u -> "succeeded".equals(u.get("state")))
                                            .count()
                                    == INSTANCES
                            && upgrades.stream().noneMatch(u -> isRunning((String) u.get("state")));
                });

        // Exactly one upgrade per instance, and it succeeded; none skipped.
        Map<String, List<Map<String, Object>>> byInstance = upgrades(GOOD_VERSION).stream()
                .filter(u -> !"cancelled".equals(u.get("state")))
                .collect(Collectors.groupingBy(u -> (String) u.get("instanceId"), TreeMap::new, Collectors.toList()));
        assertEquals(before.keySet(), byInstance.keySet(), "every instance has an upgrade");
        byInstance.forEach((instance, rows) -> {
            assertEquals(1, rows.size(), instance + " has one upgrade: " + rows);
            assertEquals("succeeded", rows.get(0).get("state"), instance + ": " + rows.get(0));
        });

        // Each Deployment was patched exactly once: the mock raises the generation on every spec change.
        Map<String, Deployment> after = deployments();
        before.forEach((instance, deployment) -> {
            Deployment now = after.get(instance);
            assertEquals(GOOD_IMAGE, image(now), instance);
            assertEquals(
                    deployment.getMetadata().getGeneration() + 1,
                    now.getMetadata().getGeneration(),
                    instance + " was patched exactly once");
        });
        await().atMost(Duration.ofSeconds(30))
                .until(() -> instances().stream().allMatch(i -> GOOD_VERSION.equals(i.get("currentVersion"))));

        // Every finished upgrade reached metrics-service once.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> eventCounts().getOrDefault("deployment", 0) == INSTANCES);
        sleep(Duration.ofSeconds(2));
        assertEquals(INSTANCES, eventCounts().getOrDefault("deployment", 0));
    }

    @Test
    @Order(2)
    void shouldRestoreBrokenImageOnFirstInstanceAndStopTheRelease() {
        Map<String, Deployment> before = deployments();
        before.forEach((instance, deployment) -> assertEquals(GOOD_IMAGE, image(deployment), instance));
        registerRelease(BROKEN_VERSION, BROKEN_IMAGE);

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> upgrades(BROKEN_VERSION).stream().anyMatch(u -> "restored".equals(u.get("state"))));
        List<Map<String, Object>> upgrades = upgrades(BROKEN_VERSION);
        assertEquals(1, upgrades.size(), "only the first instance was tried: " + upgrades);
        Map<String, Object> restored = upgrades.get(0);
        assertEquals(STAFF_INSTANCE, restored.get("instanceId"));
        assertEquals(GOOD_IMAGE, restored.get("previousImage"));
        assertEquals(BROKEN_IMAGE, restored.get("targetImage"));
        assertEquals(GOOD_IMAGE, image(deployments().get(STAFF_INSTANCE)), "the previous image is back");

        // The cord reaches andon-service through the outbox and closes the gate for the release.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> openCordScopes().contains("release:" + BROKEN_VERSION));
        given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("release", BROKEN_VERSION)
                .when()
                .get(andon.url() + "/api/gate")
                .then()
                .statusCode(423);

        // A few more ticks start nothing else.
        sleep(Duration.ofSeconds(5));
        assertEquals(1, upgrades(BROKEN_VERSION).size(), "no other instance was tried");
        Map<String, Deployment> after = deployments();
        before.forEach((instance, deployment) -> {
            assertEquals(GOOD_IMAGE, image(after.get(instance)), instance);
            long patches = instance.equals(STAFF_INSTANCE) ? 2 : 0;
            assertEquals(
                    deployment.getMetadata().getGeneration() + patches,
                    after.get(instance).getMetadata().getGeneration(),
                    instance + " patches");
        });
        // The Staff instance serves the previous image again once its restore has rolled out.
        String health = sandbox.healthUrl(reefOf(STAFF_INSTANCE), STAFF_INSTANCE);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().when()
                        .get(health)
                        .then()
                        .statusCode(200)
                        .body("image", org.hamcrest.Matchers.equalTo(GOOD_IMAGE)));
    }

    @Test
    @Order(3)
    void shouldLetOneOfTwoReplicasActAndTheOtherTakeOverWhenItDies() throws Exception {
        // A second replica on the same database: the first one's embedded PostgreSQL.
        java.util.regex.Matcher jdbc = java.util.regex.Pattern.compile(
                        "Embedded PostgreSQL for rollout started in \\d+ ms at (\\S+)")
                .matcher(Files.readString(work.resolve("rollout").resolve("rollout.log")));
        String url = null;
        while (jdbc.find()) {
            url = jdbc.group(1); // the latest start
        }
        org.junit.jupiter.api.Assertions.assertNotNull(url, "rollout-service logged its database");
        Map<String, String> second = new HashMap<>(rolloutProperties);
        second.put("quarkus.datasource.jdbc.url", url);
        second.put("quarkus.datasource.username", "postgres");
        ServiceProcess replica = ServiceProcess.start(
                        "rollout", ServiceProcess.freePort(), work.resolve("rollout-2"), second)
                .awaitReady(Duration.ofSeconds(150));
        ServiceProcess first = rollout;
        try {
            // Both tick every second; exactly one of them acts.
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(first) != leader(replica));
            for (int i = 0; i < 5; i++) {
                assertEquals(true, leader(first) ^ leader(replica), "exactly one replica leads");
                sleep(Duration.ofMillis(500));
            }
            ServiceProcess acting = leader(first) ? first : replica;
            ServiceProcess standby = acting == first ? replica : first;
            Map<String, Deployment> before = deployments();
            registerRelease(FIX_VERSION, FIX_IMAGE, standby);

            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Map<String, Long> states = countByState(upgrades(FIX_VERSION, standby));
                        return states.getOrDefault("succeeded", 0L) >= 2
                                && states.getOrDefault("started", 0L) + states.getOrDefault("verifying", 0L) >= 1;
                    });
            acting.kill();
            System.out.println(
                    "Killed the acting replica; upgrades by state: " + countByState(upgrades(FIX_VERSION, standby)));
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> leader(standby));

            await().atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> upgrades(FIX_VERSION, standby).stream()
                                    .filter(u -> "succeeded".equals(u.get("state")))
                                    .count()
                            == INSTANCES);
            Map<String, List<Map<String, Object>>> byInstance = upgrades(FIX_VERSION, standby).stream()
                    .filter(u -> !"cancelled".equals(u.get("state")))
                    .collect(Collectors.groupingBy(u -> (String) u.get("instanceId")));
            assertEquals(INSTANCES, byInstance.size(), "every instance upgraded");
            byInstance.forEach((instance, rows) -> assertEquals(1, rows.size(), instance + ": " + rows));
            Map<String, Deployment> after = deployments();
            before.forEach((instance, deployment) -> {
                assertEquals(FIX_IMAGE, image(after.get(instance)), instance);
                assertEquals(
                        deployment.getMetadata().getGeneration() + 1,
                        after.get(instance).getMetadata().getGeneration(),
                        instance + " was patched exactly once across both replicas");
            });
        } finally {
            replica.close();
            if (!first.isAlive()) {
                // Its embedded PostgreSQL outlived it; a restart stops that server and starts its own again.
                rollout = startRollout().awaitReady(Duration.ofSeconds(150));
            }
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static boolean leader(ServiceProcess replica) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .when()
                .get(replica.url() + "/api/upgrades/scheduler")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getBoolean("leader");
    }

    private static void registerRelease(String version, String image, ServiceProcess via) {
        Scenarios.registerRelease(via, keys, version, image);
    }

    private static ServiceProcess startRollout() {
        return ServiceProcess.start("rollout", rolloutPort, work.resolve("rollout"), rolloutProperties);
    }

    private static void registerRelease(String version, String image) {
        Scenarios.registerRelease(rollout, keys, version, image);
    }

    private static List<Map<String, Object>> upgrades(String release) {
        return upgrades(release, rollout);
    }

    private static List<Map<String, Object>> upgrades(String release, ServiceProcess via) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("release", release)
                .queryParam("size", 1000)
                .when()
                .get(via.url() + "/api/upgrades")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static List<Map<String, Object>> instances() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("size", 500)
                .when()
                .get(rollout.url() + "/api/instances")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static Map<String, Integer> eventCounts() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .when()
                .get(metrics.url() + "/api/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("", String.class, Integer.class);
    }

    private static List<String> openCordScopes() {
        JsonPath cords = given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("state", "open")
                .queryParam("size", 200)
                .when()
                .get(andon.url() + "/api/cords")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        return cords.getList("items.scope", String.class);
    }

    /** Every instance's Deployment, read straight from the sandbox reefs. */
    private static Map<String, Deployment> deployments() {
        Map<String, Deployment> all = new TreeMap<>();
        for (SandboxReef reef : sandbox.reefs()) {
            reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()
                    .forEach(d -> all.put(d.getMetadata().getName(), d));
        }
        return all;
    }

    private static String reefOf(String instance) {
        for (SandboxReef reef : sandbox.reefs()) {
            if (reef.client()
                            .apps()
                            .deployments()
                            .inNamespace(NAMESPACE)
                            .withName(instance)
                            .get()
                    != null) {
                return reef.name();
            }
        }
        throw new IllegalArgumentException(instance);
    }

    private static Map<String, Long> countByState(List<Map<String, Object>> upgrades) {
        return upgrades.stream()
                .collect(Collectors.groupingBy(u -> (String) u.get("state"), TreeMap::new, Collectors.counting()));
    }

    private static boolean isRunning(String state) {
        return List.of("planned", "started", "verifying", "failed").contains(state);
    }

    private static String image(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> "app".equals(c.getName()))
                .findFirst()
                .orElseThrow()
                .getImage();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
