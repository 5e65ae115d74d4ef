package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.service.InventoryService;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Releases over a small fleet in the mock reef, at a fixed clock (Monday 08:00 UTC): one staff instance, 19 active
 * customers and one laggard, all with a daily 09:00-12:00 UTC window and on 2026.3.0.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReleaseApiTest {

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    TestClock clock;

    @BeforeEach
    void fleet() {
        TestFleet.clear(client);
        TestFleet.create(client, TestFleet.instance("rel-staff", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        for (int i = 1; i <= 19; i++) {
            TestFleet.create(
                    client,
                    TestFleet.instance(String.format("rel-c%02d", i), "Daily 09:00-12:00", true, null, "2026.3.0"));
        }
        TestFleet.create(client, TestFleet.instance("rel-lag", "Daily 09:00-12:00", true, "laggard", "2026.3.0"));
        inventory.refreshAll();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String register(String version, String token) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"image\":\"registry.reefline.local/product:" + version
                        + "\",\"commits\":[\"a1b2c3d\",\"0123456789abcdef\"],\"createdAt\":\"2026-03-02T07:30:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201)
                .extract()
                .asString();
    }

    @Test
    void shouldRegisterReleaseWithRingsCanariesAndEvent() {
        JsonPath release = JsonPath.from(register("2026.3.1", TestTokens.operator()));

        assertEquals("2026.3.1", release.getString("version"));
        assertEquals("otto.operator", release.getString("registeredBy"));
        assertEquals(List.of("Staff", "Canary", "Stable", "Laggards"), release.getList("rings.ring"));
        assertEquals(List.of("0/1", "0/1", "0/18", "0/1"), release.getList("rings.progress"));
        // Staff ignores windows: upgraded at once, done 30 minutes later.
        assertEquals("2026-03-02T08:30:00Z", release.getString("rings[0].eta"));
        assertEquals(1, release.getInt("canaries[0].target"));
        assertEquals(19, release.getInt("canaries[0].eligible"));
        // The canary ring is ring 1: its draw uses the release's seed + 1, and says so.
        long canarySeed = release.getLong("canaries[0].seed");
        assertEquals(release.getLong("seed") + 1, canarySeed);
        assertTrue(release.getString("canaries[0].chosen[0].reason").contains("seed " + canarySeed));

        List<OutboxMessage> events =
                QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>listAll());
        assertEquals(1, events.size());
        assertEquals("metrics", events.get(0).destination);
        assertEquals("/api/events/releases", events.get(0).path);
        JsonPath event = JsonPath.from(events.get(0).payload);
        assertEquals(events.get(0).id.toString(), event.getString("id"));
        assertEquals("2026.3.1", event.getString("version"));
        assertEquals(List.of("a1b2c3d", "0123456789abcdef"), event.getList("commits"));
        assertEquals("2026-03-02T07:30:00Z", event.getString("createdAt"));
    }

    @Test
    void shouldPlanCanaryAtFirstWindowAfterStaffSoak() {
        register("2026.3.1", TestTokens.publisher());
        String canary = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1")
                .then()
                .statusCode(200)
                .extract()
                .path("canaries[0].chosen[0].instanceId");

        JsonPath plan = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1/plan")
                .then()
                .statusCode(200)
                .body("total", equalTo(21))
                .extract()
                .jsonPath();

        Map<String, Object> staff = plan.getMap("instances.find { it.instanceId == 'rel-staff' }");
        assertEquals("2026-03-02T08:00:00Z", staff.get("start"));
        assertEquals("starts-now", staff.get("reason"));
        // Staff done at 08:30 + 1 day soak: the canary ring opens Tuesday 08:30, the window at 09:00.
        Map<String, Object> canaryPlan = plan.getMap("instances.find { it.instanceId == '" + canary + "' }");
        assertEquals("Canary", canaryPlan.get("ring"));
        assertEquals("2026-03-03T09:00:00Z", canaryPlan.get("start"));
        assertEquals("waiting-for-ring", canaryPlan.get("reason"));
    }

    @Test
    void shouldKeepCanariesStableAndRotateThemAcrossReleases() {
        register("2026.3.1", TestTokens.operator());
        String first = canaryOf("2026.3.1");
        assertEquals(first, canaryOf("2026.3.1"));

        register("2026.3.2", TestTokens.operator());
        register("2026.3.3", TestTokens.operator());
        List<String> canaries = List.of(first, canaryOf("2026.3.2"), canaryOf("2026.3.3"));

        assertEquals(3, canaries.stream().distinct().count(), "rotation keeps the last K=3 canaries out");
    }

    private static String canaryOf(String version) {
        return given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/" + version)
                .then()
                .statusCode(200)
                .extract()
                .path("canaries[0].chosen[0].instanceId");
    }

    @Test
    void shouldRefuseDuplicateVersionButAcceptOlderOneWithoutDowngrading() {
        register("2026.3.1", TestTokens.operator());
        for (String duplicate : List.of("2026.3.1", "2026.3.1.0")) {
            given().auth()
                    .oauth2(TestTokens.operator())
                    .contentType(ContentType.JSON)
                    .body("{\"version\":\"" + duplicate + "\",\"image\":\"product:" + duplicate + "\"}")
                    .when()
                    .post("/api/releases")
                    .then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("detail", containsString("already registered"));
        }

        register("2026.2.0", TestTokens.operator());

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.2.0/plan")
                .then()
                .statusCode(200)
                .body("instances.reason", everyItem(equalTo("already-on-version")));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases")
                .then()
                .statusCode(200)
                .body("version", contains("2026.2.0", "2026.3.1"));
        assertEquals(2L, (long) QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count()));
    }

    @Test
    void shouldRejectInvalidReleasesAndStoreNothing() {
        Map<String, String> bodies = Map.of(
                "version", "{\"version\":\"banana\",\"image\":\"product:banana\"}",
                "commits[0]", "{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0\",\"commits\":[\"not-a-sha\"]}",
                "ignoreWindowsReason",
                        "{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0\",\"ignoreWindows\":true}",
                "image", "{\"version\":\"2026.4.0\"}");
        bodies.forEach((field, body) -> given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/releases")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains(field)));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases")
                .then()
                .body("", hasSize(0));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count()));
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/releases")
                .then();
    }

    @Test
    void shouldRefuseAnImageWhoseTagDoesNotNameTheVersionAndStoreNothing() {
        post("{\"version\":\"2099.1.0\",\"image\":\"registry.reefline.local/product:2020.1.0\"}")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("image"))
                .body("violations[0].message", equalTo("its tag '2020.1.0' names version 2020.1.0, not 2099.1.0"))
                .body("detail", containsString("its tag '2020.1.0' names version 2020.1.0, not 2099.1.0"));
        Map<String, String> refused = Map.of(
                "no tag", "{\"version\":\"2026.4.0\",\"image\":\"registry.reefline.local:5000/product\"}",
                "not a version", "{\"version\":\"2026.4.0\",\"image\":\"product:latest\"}",
                "pre-release", "{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0-broken\"}",
                "tag beside digest",
                        "{\"version\":\"2026.4.0\",\"image\":\"product:2026.3.0@sha256:" + "ab".repeat(32) + "\"}",
                "short digest", "{\"version\":\"2026.4.0\",\"image\":\"product@sha256:0a1b\"}");
        refused.forEach((why, body) -> post(body).statusCode(400).body("violations.field", contains("image")));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases")
                .then()
                .body("", hasSize(0));
        assertEquals(0L, (long) QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count()));
    }

    @Test
    void shouldAcceptATagNamingTheVersionAsAVersionOrAPinnedDigestWithItsVersion() {
        post("{\"version\":\"2026.4\",\"image\":\"registry.reefline.local/product:2026.4.0\"}")
                .statusCode(201)
                .body("version", equalTo("2026.4"));
        String digest = "registry.reefline.local/product@sha256:" + "0123456789abcdef".repeat(4);
        post("{\"version\":\"2026.5.0\",\"image\":\"" + digest + "\"}")
                .statusCode(201)
                .body("image", equalTo(digest))
                .body("channel", equalTo("stable"));
        post("{\"version\":\"2026.6.0\",\"image\":\"registry.reefline.local/product:2026.6@sha256:"
                        + "0123456789abcdef".repeat(4) + "\"}")
                .statusCode(201);
    }

    @Test
    void shouldRefuseFieldsLongerThanTheirColumnsNamingTheField() {
        String version = "2026.4.0";
        String image = "product:" + version;
        String commits = "\"a1b2c3d\",".repeat(5001);
        Map<String, String> bodies = Map.of(
                "version", "{\"version\":\"2026." + "1".repeat(100) + "\",\"image\":\"" + image + "\"}",
                "image",
                        "{\"version\":\"" + version + "\",\"image\":\"registry.reefline.local/" + "p".repeat(500) + ":"
                                + version + "\"}",
                "channel",
                        "{\"version\":\"" + version + "\",\"image\":\"" + image + "\",\"channel\":\"" + "c".repeat(101)
                                + "\"}",
                "commits",
                        "{\"version\":\"" + version + "\",\"image\":\"" + image + "\",\"commits\":["
                                + commits.substring(0, commits.length() - 1) + "]}",
                "ignoreWindowsReason",
                        "{\"version\":\"" + version + "\",\"image\":\"" + image
                                + "\",\"ignoreWindows\":true,\"ignoreWindowsReason\":\"" + "r".repeat(2001) + "\"}");
        bodies.forEach((field, body) -> post(body)
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains(field)));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases")
                .then()
                .body("", hasSize(0));
    }

    @Test
    void shouldRequireTokenAndOperatorRoleToRegister() {
        given().contentType(ContentType.JSON)
                .body("{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(401);
        // Neither a reader nor the hub's services (whose token once sat in every customer pod) nor a cell registers.
        for (String token : new String[] {TestTokens.viewer(), TestTokens.service(), TestTokens.cell("reef-test")}) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body("{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0\"}")
                    .when()
                    .post("/api/releases")
                    .then()
                    .statusCode(403);
        }
        // A CI job registers plainly: skipping customers' windows or soaks is an operator's call.
        for (String override :
                new String[] {"\"ignoreWindows\":true,\"ignoreWindowsReason\":\"hotfix\"", "\"expedite\":true"}) {
            given().auth()
                    .oauth2(TestTokens.publisher())
                    .contentType(ContentType.JSON)
                    .body("{\"version\":\"2026.4.0\",\"image\":\"product:2026.4.0\"," + override + "}")
                    .when()
                    .post("/api/releases")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        // And reads nothing: no tenant, no instance.
        given().auth()
                .oauth2(TestTokens.publisher())
                .when()
                .get("/api/instances")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.4.0")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.9.9")
                .then()
                .statusCode(404);
    }

    @Test
    void shouldForecastLastCustomerPercentilesAndWindowHistogram() {
        JsonPath forecast = given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body(
                        "{\"image\":\"registry.reefline.local/product:2026.4.0\",\"releaseTime\":\"2026-03-02T08:00:00Z\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals("2026.4.0", forecast.getString("version"));
        assertEquals(List.of("Staff", "Canary", "Stable", "Laggards"), forecast.getList("rings.ring"));
        // Every window opens at 09:00 UTC; the first one after Monday 08:00 is Monday's.
        assertEquals(Map.of("9", 21), forecast.getMap("windowHistogram.local"));
        assertEquals(21, forecast.getList("instances").size());
        assertEquals(1 + 1 + 18, forecast.getInt("leadTimes.reached"));
        // Staff Mon 08:00-08:30, +1 day soak; canary Tue 09:00-09:30, +2 days soak; Stable opens Thu 09:30 inside the
        // window and runs its 18 upgrades five at a time, 30 minutes each: 09:30, 10:00, 10:30, 11:00, done 11:30.
        assertEquals("2026-03-05T11:30:00Z", forecast.getString("rings[2].eta"));
        assertEquals("PT75H30M", forecast.getString("leadTimes.max"));
    }

    @Test
    void shouldRejectForecastWithoutReleaseOrWithInvalidPolicy() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"releaseTime\":\"2026-03-02T08:00:00Z\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("""
                        {"version":"2026.4.0","policy":{"rings":[{"name":"All","selector":{"type":"remainder"},
                         "soak":"PT0S","deadline":"P1D"}],"inFlightLimitPerReef":0,"expectedUpgrade":"PT30M",
                         "canaryRotation":3}}
                        """)
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(400)
                .body("violations.field", contains("inFlightLimitPerReef"));
    }

    @Test
    void shouldShowReleaseBoardWithForecastHistogram() {
        register("2026.3.1", TestTokens.operator());
        given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .body(containsString("<th>Canary</th>"))
                .body(containsString("0/18"))
                .body(containsString("id=\"window-histogram\""))
                .body(containsString("9:00 UTC: 21 instances"))
                .body(containsString("<td><strong>local</strong></td>"));
    }

    @Test
    void shouldHoldAReleaseWithoutAStaffInstanceAndShowWhyInTheApiAndOnTheBoard() {
        client.apps()
                .deployments()
                .inNamespace(TestFleet.NAMESPACE)
                .withName("rel-staff")
                .delete();
        inventory.refreshAll();
        String why = "Staff has no member: no instance is pinned to staff; the release holds here (mark the ring"
                + " optional to let it pass)";

        JsonPath release = JsonPath.from(register("2026.3.1", TestTokens.operator()));

        assertEquals(true, release.getBoolean("rings[0].held"));
        assertEquals("ring-empty", release.getString("rings[0].reason"));
        assertEquals(why, release.getString("rings[0].detail"));
        assertEquals(null, release.getString("rings[1].opensAt"), "Canary does not open");
        assertEquals("waiting-for-ring", release.getString("rings[1].reason"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1/plan")
                .then()
                .statusCode(200)
                .body("rings[0].detail", equalTo(why))
                .body("instances.reason", everyItem(equalTo("waiting-for-ring")))
                .body("instances.detail", everyItem(equalTo(why)));
        given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .body(containsString("ring-held"))
                .body(containsString(why));
    }

    @Test
    void shouldHoldAReleaseAtAnEmptyCanaryAndShowWhyOnTheBoard() {
        String stored = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        // Canary opens at 08:30 at the earliest (staff's 30 minute upgrade) and must be done by 09:00: no instance's
        // 09:00-12:00 window fits, so nobody is drawn, and the release must not go on to Stable without a canary.
        TestFleet.policy("""
                {"rings":[
                  {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT0S","deadline":"PT1H",
                   "windowsApply":false},
                  {"name":"Canary","selector":{"type":"percentage","percent":10},"soak":"PT0S","deadline":"PT30M"},
                  {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"P7D"},
                  {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"P7D",
                   "optional":true}],
                 "inFlightLimitPerReef":5,"expectedUpgrade":"PT30M","canaryRotation":3}
                """);
        try {
            JsonPath release = JsonPath.from(register("2026.3.1", TestTokens.operator()));
            assertEquals(0, release.getList("canaries[0].chosen").size(), "no canary can finish in time");
            assertEquals(true, release.getBoolean("rings[1].held"));
            assertEquals("ring-empty", release.getString("rings[1].reason"));
            assertEquals(null, release.getString("rings[2].opensAt"), "Stable does not open without a canary");
            String why = release.getString("rings[1].detail");
            assertTrue(why.startsWith("Canary has no member that can finish inside its deadline"), why);
            given().cookie("reefline_token", TestTokens.viewer())
                    .when()
                    .get("/ui/releases")
                    .then()
                    .statusCode(200)
                    .body(containsString("ring-held"))
                    .body(containsString(why));
        } finally {
            TestFleet.policy(stored);
        }
    }

    @Test
    void shouldForecastAShortCanaryThatHoldsTheRelease() {
        // Canary opens at 08:30 at the earliest with a 30 minute deadline: no 09:00-12:00 window fits before 09:00.
        JsonPath forecast = given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("""
                        {"version":"2026.4.0","releaseTime":"2026-03-02T08:00:00Z","policy":{"rings":[
                          {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT0S","deadline":"PT1H",
                           "windowsApply":false},
                          {"name":"Canary","selector":{"type":"percentage","percent":10},"soak":"PT0S","deadline":"PT30M"},
                          {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"P7D"},
                          {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"P7D",
                           "optional":true}],
                         "inFlightLimitPerReef":5,"expectedUpgrade":"PT30M","canaryRotation":3}}
                        """)
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();

        assertEquals("Canary", forecast.getString("canaryShortfalls[0].ring"));
        assertEquals(2, forecast.getInt("canaryShortfalls[0].target"));
        assertEquals(0, forecast.getInt("canaryShortfalls[0].drawn"));
        assertEquals(19, forecast.getInt("canaryShortfalls[0].eligible"));
        assertEquals(0, forecast.getInt("canaryShortfalls[0].fitting"));
        assertEquals(true, forecast.getBoolean("rings[1].held"));
        assertEquals(
                List.of(
                        "ring Canary is short of canaries: 0 drawn of a target of 2; only 0 of 19 eligible active"
                                + " instances can finish inside its deadline",
                        "Canary has no member that can finish inside its deadline (none of 19 eligible active instances"
                                + " has a window slot before it); the release holds here (mark the ring optional to let"
                                + " it pass)"),
                forecast.getList("warnings"));
        assertEquals(null, forecast.getString("rings[2].opensAt"), "Stable does not open without a canary");
    }
}
