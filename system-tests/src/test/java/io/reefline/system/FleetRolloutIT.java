package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One release through a fleet of three sandbox reefs, driven by one rollout-service (the hub's) with andon-service's
 * gate, as processes. First the rings span the fleet: the one Staff instance finishes before any Canary instance in any
 * reef starts, and Canary is 5% of the fleet's active instances drawn from every reef. Then, in the middle of the
 * Stable ring, the link to one reef's Kubernetes API is cut: the other reefs finish their part, rollout-service stays
 * ready, and its reefs API and board show the reef as unreachable; when the link is back, the reef is caught up.
 *
 * <p>The two tests share one release and one set of processes (the second continues where the first stops), so the
 * scenario costs one boot and one release.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetRolloutIT {

    private static final String NAMESPACE = "instances";
    private static final String VERSION = "2026.11.1";
    private static final String IMAGE = "registry.reefline.local/product:2026.11.1";
    private static final int REEFS = 3;
    private static final int INSTANCES_PER_REEF = 40;
    private static final int INSTANCES = REEFS * INSTANCES_PER_REEF;
    /** The reef whose link is cut; the Staff instance lives in reef-us-1. */
    private static final String CUT_REEF = "reef-au-1";

    /** Seconds instead of days; twenty upgrades in flight per reef. */
    private static final String POLICY = """
            {"rings":[
              {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT2S","deadline":"PT10M","windowsApply":false},
              {"name":"Canary","selector":{"type":"percentage","percent":5},"soak":"PT2S","deadline":"PT10M"},
              {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"PT30M"},
              {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"PT30M"}],
             "inFlightLimitPerReef":20,"expectedUpgrade":"PT10S","canaryRotation":0}
            """;

    private static ServiceKeys keys;
    private static Sandbox sandbox;
    private static ReefLink link;
    private static ServiceProcess andon;
    private static ServiceProcess rollout;

    @BeforeAll
    static void startFleetAndHub() throws Exception {
        Path work = Files.createTempDirectory("reefline-fleet-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(REEFS)
                .withInstancesPerReef(INSTANCES_PER_REEF)
                .withKubeletDelay(Duration.ofMillis(500))
                .withMalformedInstance(false));
        // The hub reaches the cut reef's API through a link the test controls; the test itself reads every reef
        // directly, so it sees the reef go on running while the hub cannot reach it.
        link = ReefLink.to(sandbox.reef(CUT_REEF).url());
        Path kubeconfig = work.resolve("kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        Config config = Serialization.unmarshal(Files.readString(kubeconfig), Config.class);
        for (NamedCluster cluster : config.getClusters()) {
            if (cluster.getName().equals(CUT_REEF)) {
                cluster.getCluster().setServer(link.url());
            }
        }
        Files.writeString(kubeconfig, Serialization.asYaml(config));
        Properties reefs = Scenarios.reefSettings(sandbox, kubeconfig);

        int andonPort = ServiceProcess.freePort();
        int rolloutPort = ServiceProcess.freePort();
        String nowhere = "http://127.0.0.1:" + ServiceProcess.freePort(); // no metrics-service: events wait in outboxes
        Map<String, String> andonProperties = new HashMap<>();
        andonProperties.put("reefline.services.metrics", nowhere);
        Map<String, String> rolloutProperties = new HashMap<>();
        rolloutProperties.put("reefline.services.andon", "http://127.0.0.1:" + andonPort);
        rolloutProperties.put("reefline.services.metrics", nowhere);
        rolloutProperties.put("reefline.upgrades.tick", "1s");
        rolloutProperties.put("reefline.upgrades.soak", "PT2S");
        rolloutProperties.put("reefline.upgrades.rollout-timeout", "PT60S");
        rolloutProperties.put("reefline.kubernetes.probe-interval", "1s");
        rolloutProperties.put("reefline.kubernetes.probe-max-age", "PT0.5S");
        rolloutProperties.put("reefline.kubernetes.connect-timeout", "PT1S");
        rolloutProperties.put("reefline.kubernetes.request-timeout", "PT3S");
        reefs.stringPropertyNames().forEach(name -> rolloutProperties.put(name, reefs.getProperty(name)));

        andon = ServiceProcess.start("andon", andonPort, work.resolve("andon"), keys.withKeys(andonProperties));
        rollout =
                ServiceProcess.start("rollout", rolloutPort, work.resolve("rollout"), keys.withKeys(rolloutProperties));
        andon.awaitReady(Duration.ofSeconds(150));
        rollout.awaitReady(Duration.ofSeconds(150));

        Scenarios.storePolicy(rollout, keys, POLICY);
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> total(Map.of()) == INSTANCES);
    }

    @AfterAll
    static void stopAll() {
        Scenarios.stop(rollout, andon, link, sandbox);
    }

    @Test
    @Order(1)
    void theStaffRingGatesCanaryInEveryReefAndCanaryIsFivePercentOfTheFleetFromEveryReef() {
        Scenarios.registerRelease(rollout, keys, VERSION, IMAGE);

        // The canaries are drawn at registration, over the whole fleet.
        long eligible = total(Map.of("active", "true", "ring", "none"));
        int expected = (int) Math.ceil(eligible * 0.05);
        JsonPath release = given().auth()
                .oauth2(keys.token("viewer"))
                .when()
                .get(rollout.url() + "/api/releases/" + VERSION)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(expected, release.getInt("canaries.find { it.ring == 'Canary' }.target"), release.prettify());
        Set<String> drawnFrom =
                new TreeSet<>(release.getList("canaries.find { it.ring == 'Canary' }.chosen.reef", String.class));
        assertEquals(reefNames(), drawnFrom, "stratified over every reef");

        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> inRing("Canary").size() == expected
                        && inRing("Canary").stream().allMatch(u -> "succeeded".equals(u.get("state"))));

        List<Map<String, Object>> staff = inRing("Staff");
        assertEquals(1, staff.size(), "one Staff instance in the fleet: " + staff);
        assertEquals("succeeded", staff.get(0).get("state"));
        Instant staffDone = Instant.parse((String) staff.get(0).get("finishedAt"));
        List<Map<String, Object>> canary = inRing("Canary");
        for (Map<String, Object> upgrade : canary) {
            Instant planned = Instant.parse((String) upgrade.get("plannedAt"));
            assertTrue(
                    planned.isAfter(staffDone),
                    upgrade.get("instanceId") + " in " + upgrade.get("reef") + " planned at " + planned
                            + ", before Staff finished at " + staffDone);
        }
        assertEquals(
                reefNames(),
                canary.stream().map(u -> (String) u.get("reef")).collect(Collectors.toCollection(TreeSet::new)),
                "Canary upgrades ran in every reef");
        Set<String> drawn =
                new TreeSet<>(release.getList("canaries.find { it.ring == 'Canary' }.chosen.instanceId", String.class));
        Set<String> upgraded =
                canary.stream().map(u -> (String) u.get("instanceId")).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(drawn, upgraded, "exactly the drawn canaries were upgraded in the Canary ring");
    }

    @Test
    @Order(2)
    void aReefWhoseApiCannotBeReachedIsSkippedWhileTheOthersGoOnAndCaughtUpWhenItIsBack() {
        // Cut the link while the Stable ring is running in the reef.
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> upgrades().stream()
                        .anyMatch(u -> "Stable".equals(u.get("ring")) && CUT_REEF.equals(u.get("reef"))));
        link.cut();
        Instant cutAt = Instant.now();
        System.out.println("Cut the link to " + CUT_REEF + "; upgrades by reef and state: " + byReefAndState());

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> "unreachable".equals(reef(CUT_REEF).get("state")));
        Map<String, Object> cut = reef(CUT_REEF);
        assertNotNull(cut.get("unreachableSince"), cut.toString());
        assertNotNull(cut.get("lastContact"), "it answered before the cut: " + cut);
        long succeededInCutReef = succeededIn(CUT_REEF);

        // The other reefs finish their part of the ring; the service stays ready all along.
        List<String> others =
                reefNames().stream().filter(r -> !r.equals(CUT_REEF)).toList();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    given().when().get(rollout.url() + "/q/health/ready").then().statusCode(200);
                    return others.stream().allMatch(r -> stableDoneIn(r));
                });
        Map<String, Map<String, Long>> whileCut = byReefAndState();
        System.out.println("While " + CUT_REEF + " was cut (" + Duration.between(cutAt, Instant.now())
                + "), upgrades by reef and state: " + whileCut);
        assertEquals(succeededInCutReef, succeededIn(CUT_REEF), "nothing in the cut reef finished without the hub");
        assertFalse(stableDoneIn(CUT_REEF), "the cut reef waits");
        JsonPath readiness = given().when()
                .get(rollout.url() + "/q/health/ready")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertTrue(
                readiness
                        .getString("checks.find { it.name == 'Reefs' }.data.'" + CUT_REEF + "'")
                        .startsWith("unreachable since"),
                readiness.prettify());
        String board = given().cookie("reefline_token", keys.token("viewer"))
                .when()
                .get(rollout.url() + "/ui/releases")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(board.contains("id=\"reef-" + CUT_REEF + "\" data-state=\"unreachable\""), board);
        assertTrue(board.contains("class=\"reef-unreachable\" data-reef=\"" + CUT_REEF + "\""), board);
        others.forEach(r -> assertTrue(board.contains("id=\"reef-" + r + "\" data-state=\"reachable\""), r));

        // The link is back: the reef is caught up, and the release reaches the whole fleet.
        link.restore();
        Instant restoredAt = Instant.now();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> upgrades().stream()
                                .filter(u -> "succeeded".equals(u.get("state")))
                                .count()
                        == INSTANCES);
        System.out.println("Caught up " + CUT_REEF + " in " + Duration.between(restoredAt, Instant.now()));
        assertEquals("reachable", reef(CUT_REEF).get("state"));
        Map<String, List<Map<String, Object>>> byInstance = upgrades().stream()
                .filter(u -> !"cancelled".equals(u.get("state")))
                .collect(Collectors.groupingBy(u -> (String) u.get("instanceId"), TreeMap::new, Collectors.toList()));
        assertEquals(INSTANCES, byInstance.size());
        byInstance.forEach((instance, rows) -> assertEquals(1, rows.size(), instance + ": " + rows));
        Map<String, String> images = images();
        images.forEach((instance, image) -> assertEquals(IMAGE, image, instance));
        assertEquals(INSTANCES, images.size());
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static Set<String> reefNames() {
        return sandbox.reefs().stream().map(SandboxReef::name).collect(Collectors.toCollection(TreeSet::new));
    }

    private static long total(Map<String, String> filter) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParams(filter)
                .queryParam("size", 1)
                .when()
                .get(rollout.url() + "/api/instances")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
    }

    private static List<Map<String, Object>> upgrades() {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("release", VERSION)
                .queryParam("size", 1000)
                .when()
                .get(rollout.url() + "/api/upgrades")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items");
    }

    private static List<Map<String, Object>> inRing(String ring) {
        return upgrades().stream().filter(u -> ring.equals(u.get("ring"))).toList();
    }

    private static long succeededIn(String reef) {
        return upgrades().stream()
                .filter(u -> reef.equals(u.get("reef")) && "succeeded".equals(u.get("state")))
                .count();
    }

    /** Every instance of the reef that is not a pinned laggard succeeded (laggards wait for the fleet's Stable ring). */
    private static boolean stableDoneIn(String reef) {
        long laggards = given().auth()
                .oauth2(keys.token("viewer"))
                .queryParam("reef", reef)
                .queryParam("ring", "laggard")
                .queryParam("size", 1)
                .when()
                .get(rollout.url() + "/api/instances")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getLong("total");
        return succeededIn(reef) == INSTANCES_PER_REEF - laggards;
    }

    private static Map<String, Map<String, Long>> byReefAndState() {
        return upgrades().stream()
                .collect(Collectors.groupingBy(
                        u -> (String) u.get("reef"),
                        TreeMap::new,
                        Collectors.groupingBy(u -> (String) u.get("state"), TreeMap::new, Collectors.counting())));
    }

    /** The reef as {@code GET /api/reefs} shows it. */
    private static Map<String, Object> reef(String name) {
        return given().auth()
                .oauth2(keys.token("viewer"))
                .when()
                .get(rollout.url() + "/api/reefs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("find { it.name == '" + name + "' }");
    }

    /** Every instance's image, read straight from the sandbox reefs (not through the hub's link). */
    private static Map<String, String> images() {
        Map<String, String> images = new TreeMap<>();
        for (SandboxReef reef : sandbox.reefs()) {
            for (Deployment d : reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .list()
                    .getItems()) {
                images.put(
                        d.getMetadata().getName(),
                        d.getSpec().getTemplate().getSpec().getContainers().stream()
                                .filter(c -> "app".equals(c.getName()))
                                .findFirst()
                                .orElseThrow()
                                .getImage());
            }
        }
        return images;
    }
}
