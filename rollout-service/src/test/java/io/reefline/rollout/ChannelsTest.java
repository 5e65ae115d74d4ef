package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import io.reefline.rollout.upgrade.reconcile.TickReport;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Channels partition the fleet: every instance belongs to exactly one ({@code reefline.io/channel}, default
 * {@code stable}), and a release upgrades only the instances of its own channel.
 *
 * <p>Fleet on 2026.3.0: two instances without the annotation (stable), two on {@code beta}, one whose annotation is not
 * a channel. Policy: one ring for everyone that ignores windows, so the scheduler would start every instance it is
 * given at once.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ChannelsTest {

    static final String POLICY = """
            {"rings":[{"name":"All","selector":{"type":"remainder"},"soak":"PT0S","deadline":"P1D","windowsApply":false}],
             "inFlightLimitPerReef":10,"expectedUpgrade":"PT10M","canaryRotation":0}
            """;

    static final String IMAGE = "registry.reefline.local/product:";
    static final List<String> STABLE = List.of("ch-s1", "ch-s2");
    static final List<String> BETA = List.of("ch-b1", "ch-b2");

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    UpgradeScheduler scheduler;

    @Inject
    UpgradeLeadership leadership;

    @Inject
    TestClock clock;

    @BeforeEach
    void fleet() {
        TestFleet.clear(client);
        TestFleet.policy(POLICY);
        STABLE.forEach(id -> TestFleet.create(client, instance(id, null)));
        BETA.forEach(id -> TestFleet.create(client, instance(id, "beta")));
        TestFleet.create(client, instance("ch-bad", "Beta!"));
        inventory.refreshAll();
    }

    @AfterEach
    void restore() {
        clock.reset();
        leadership.release();
    }

    private static Deployment instance(String id, String channel) {
        Deployment deployment = TestFleet.instance(id, "Daily 09:00-12:00", true, null, "2026.3.0");
        if (channel != null) {
            deployment.getMetadata().getAnnotations().put("reefline.io/channel", channel);
        }
        return deployment;
    }

    private static void register(String version, String channel) {
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"image\":\"" + IMAGE + version + "\",\"channel\":\"" + channel
                        + "\",\"createdAt\":\"2026-03-02T07:30:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201)
                .body("channel", equalTo(channel));
    }

    /** Ticks every six minutes, playing the Deployment controller for every started upgrade, until all is quiet. */
    private void driveToTheEnd() {
        Instant at = TestClock.START;
        for (int round = 0; round < 20; round++) {
            clock.set(at);
            TickReport report = scheduler.tick();
            assertTrue(report.leader(), "the only replica leads");
            List<String> started = QuarkusTransaction.requiringNew()
                    .call(() -> UpgradeEntity.running().stream()
                            .filter(u -> u.state == UpgradeState.STARTED)
                            .map(u -> u.instanceId)
                            .toList());
            started.forEach(id -> TestFleet.rollOut(client, id));
            at = at.plusSeconds(360);
        }
    }

    private static Map<String, String> upgradedTo() {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>listAll().stream()
                        .filter(u -> u.state != UpgradeState.CANCELLED)
                        .collect(Collectors.toMap(u -> u.instanceId, u -> u.releaseVersion + " " + u.state)));
    }

    @Test
    void aBetaReleaseUpgradesOnlyBetaInstances() {
        register("2026.4.0", "beta");

        driveToTheEnd();

        assertEquals(
                Map.of("ch-b1", "2026.4.0 SUCCEEDED", "ch-b2", "2026.4.0 SUCCEEDED"),
                upgradedTo(),
                "only the beta instances were upgraded");
        BETA.forEach(id -> assertEquals(IMAGE + "2026.4.0", TestFleet.image(client, id), id));
        STABLE.forEach(id -> assertEquals(IMAGE + "2026.3.0", TestFleet.image(client, id), id + " untouched"));
        assertEquals(IMAGE + "2026.3.0", TestFleet.image(client, "ch-bad"), "an invalid instance is never upgraded");
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.4.0/plan")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("instances.instanceId", contains("ch-b1", "ch-b2"));
    }

    @Test
    void eachChannelsNewestReleaseUpgradesItsOwnInstancesOnly() {
        register("2026.3.1", "stable");
        register("2026.4.0", "beta");

        driveToTheEnd();

        assertEquals(
                Map.of(
                        "ch-s1", "2026.3.1 SUCCEEDED",
                        "ch-s2", "2026.3.1 SUCCEEDED",
                        "ch-b1", "2026.4.0 SUCCEEDED",
                        "ch-b2", "2026.4.0 SUCCEEDED"),
                upgradedTo());
        STABLE.forEach(id -> assertEquals(IMAGE + "2026.3.1", TestFleet.image(client, id), id));
        BETA.forEach(id -> assertEquals(IMAGE + "2026.4.0", TestFleet.image(client, id), id));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases")
                .then()
                .statusCode(200)
                .body("find { it.version == '2026.4.0' }.channel", equalTo("beta"))
                .body("find { it.version == '2026.4.0' }.rings[0].progress", equalTo("2/2"))
                .body("find { it.version == '2026.3.1' }.channel", equalTo("stable"))
                .body("find { it.version == '2026.3.1' }.rings[0].progress", equalTo("2/2"));
        given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .body(containsString("<strong>2026.4.0</strong> <span class=\"muted\">beta</span>"))
                .body(containsString("<strong>2026.3.1</strong> <span class=\"muted\">stable</span>"));
    }

    @Test
    void theInventoryShowsAndFiltersChannelsAndListsAMalformedOneAsInvalid() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?channel=beta")
                .then()
                .statusCode(200)
                .body("total", equalTo(2))
                .body("items.id", contains("ch-b1", "ch-b2"))
                .body("items.channel", everyItem(equalTo("beta")));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?channel=stable")
                .then()
                .statusCode(200)
                .body("items.id", contains("ch-s1", "ch-s2"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?invalid=true")
                .then()
                .statusCode(200)
                .body("items.id", contains("ch-bad"))
                .body("items[0].channel", equalTo("Beta!"))
                .body(
                        "items[0].errors",
                        hasItem(startsWith("annotation reefline.io/channel 'Beta!' is not a channel")));
        assertEquals(
                List.of("ch-b1", "ch-b2", "ch-s1", "ch-s2"),
                inventory.fleet().stream().map(i -> i.id()).sorted().toList(),
                "the planner never sees the invalid instance");
        assertEquals(
                Map.of("ch-b1", "beta", "ch-b2", "beta", "ch-s1", "stable", "ch-s2", "stable"),
                inventory.fleet().stream().collect(Collectors.toMap(i -> i.id(), i -> i.channel())));
    }

    @Test
    void anInstanceMovedToAnotherChannelIsSeenThereAfterTheNextRefresh() {
        client.apps()
                .deployments()
                .inNamespace(TestFleet.NAMESPACE)
                .withName("ch-s1")
                .edit(d -> {
                    d.getMetadata().getAnnotations().put("reefline.io/channel", "beta");
                    return d;
                });
        inventory.refreshAll();
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances/ch-s1")
                .then()
                .statusCode(200)
                .body("channel", equalTo("beta"))
                .body("valid", equalTo(true));
    }

    @Test
    void aForecastPlansTheAskedChannelOnly() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"image\":\"" + IMAGE
                        + "2026.5.0\",\"channel\":\"beta\",\"releaseTime\":\"2026-03-02T08:00:00Z\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .body("channel", equalTo("beta"))
                .body("instances.instanceId", contains("ch-b1", "ch-b2"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.5.0\",\"releaseTime\":\"2026-03-02T08:00:00Z\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .body("channel", equalTo("stable"))
                .body("instances.instanceId", contains("ch-s1", "ch-s2"));

        register("2026.4.0", "beta");
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.4.0\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .body("channel", equalTo("beta"))
                .body("instances.instanceId", contains("ch-b1", "ch-b2"));

        for (String body : List.of(
                "{\"version\":\"2026.5.0\",\"channel\":\"Beta!\"}",
                "{\"version\":\"2026.4.0\",\"channel\":\"stable\"}")) {
            given().auth()
                    .oauth2(TestTokens.viewer())
                    .contentType(ContentType.JSON)
                    .body(body)
                    .when()
                    .post("/api/forecast")
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations.field", contains("channel"));
        }
    }
}
