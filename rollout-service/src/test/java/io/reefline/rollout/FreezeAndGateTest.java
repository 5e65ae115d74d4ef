package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.rollout.persistence.FreezeEntity;
import io.reefline.rollout.service.InventoryService;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Freezes and the andon gate in the plan, at the fixed clock (Monday 08:00 UTC): the staff instance ignores windows, so
 * with nothing in the way it starts now; a closed or unreachable gate, or a freeze covering now, keeps it from starting.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FreezeAndGateTest {

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    TestClock clock;

    @Inject
    FakeAndon andon;

    @BeforeEach
    void fleet() {
        TestFleet.clear(client);
        TestFleet.create(client, TestFleet.instance("frz-staff", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        for (int i = 1; i <= 4; i++) {
            TestFleet.create(
                    client,
                    TestFleet.instance(String.format("frz-c%02d", i), "Daily 09:00-12:00", true, null, "2026.3.0"));
        }
        inventory.refreshAll();
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.3.1\",\"image\":\"registry.reefline.local/product:2026.3.1\","
                        + "\"createdAt\":\"2026-03-02T07:30:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
    }

    @AfterEach
    void restore() {
        clock.reset();
        andon.open(true);
        andon.start();
    }

    private static JsonPath plan() {
        return given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1/plan")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, Object> staff(JsonPath plan) {
        return plan.getMap("instances.find { it.instanceId == 'frz-staff' }");
    }

    private static List<String> startingNow(JsonPath plan) {
        return plan.getList("instances.findAll { it.reason == 'starts-now' }.instanceId");
    }

    private static String createFreeze(String body) {
        return given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/freezes")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/freezes/"))
                .extract()
                .path("id")
                .toString();
    }

    private static long storedFreezes() {
        return QuarkusTransaction.requiringNew().call(() -> FreezeEntity.count());
    }

    @Test
    void shouldStartStaffNowWithOpenGateAskingTheGateOncePerPlan() {
        int before = andon.calls();
        JsonPath plan = plan();

        assertEquals(1, andon.calls() - before, "one gate question per plan, not one per instance");
        assertTrue(andon.lastQuery().contains("release=2026.3.1"), andon.lastQuery());
        assertEquals(List.of("frz-staff"), startingNow(plan));
        assertEquals("2026-03-02T08:00:00Z", staff(plan).get("start"));
    }

    @Test
    void shouldStartNothingWhileTheGateIsLockedAndNameTheCord() {
        andon.open(false);

        JsonPath plan = plan();

        assertEquals(List.of(), startingNow(plan));
        Map<String, Object> staff = staff(plan);
        assertEquals("gate-closed", staff.get("reason"));
        assertTrue(
                staff.get("detail").toString().contains("#7 checkout errors"),
                staff.get("detail").toString());
        // The forecast is "if we ship now": a cord pulled now does not change it.
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.3.1\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .body("instances.find { it.instanceId == 'frz-staff' }.reason", equalTo("starts-now"));

        andon.open(true);
        assertEquals(List.of("frz-staff"), startingNow(plan()));
    }

    @Test
    void shouldStartNothingWhenTheGateCannotBeReached() {
        andon.stop();

        JsonPath plan = plan();

        assertEquals(List.of(), startingNow(plan));
        assertEquals("gate-closed", staff(plan).get("reason"));
        assertTrue(
                staff(plan).get("detail").toString().contains("andon-service could not be asked"),
                staff(plan).get("detail").toString());

        // Back up, the plan moves again once the circuit lets the question through.
        andon.start();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> startingNow(plan()).equals(List.of("frz-staff")));
    }

    @Test
    void shouldFreezeEveryoneCoveredNowAndResumeWhenTheFreezeIsDeleted() {
        String id = createFreeze("""
                {"scope":"global","start":"2026-03-02T07:00:00Z","end":"2026-03-02T10:00:00Z",
                 "reason":"quarter close"}
                """);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/freezes")
                .then()
                .statusCode(200)
                .body("$", hasSize(1))
                .body("[0].id", equalTo(Integer.parseInt(id)))
                .body("[0].scope", equalTo("global"))
                .body("[0].target", nullValue())
                .body("[0].createdBy", equalTo("otto.operator"))
                .body("[0].activeNow", equalTo(true));

        JsonPath frozen = plan();
        assertEquals(List.of(), startingNow(frozen));
        assertEquals("frozen", staff(frozen).get("reason"));
        assertEquals("2026-03-02T10:00:00Z", staff(frozen).get("start"));
        assertTrue(staff(frozen).get("detail").toString().contains("quarter close"));
        // The forecast honours freezes: shipped now, staff waits for the freeze to end.
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.3.1\"}")
                .when()
                .post("/api/forecast")
                .then()
                .statusCode(200)
                .body("instances.find { it.instanceId == 'frz-staff' }.start", equalTo("2026-03-02T10:00:00Z"));

        given().auth()
                .oauth2(TestTokens.operator())
                .when()
                .delete("/api/freezes/" + id)
                .then()
                .statusCode(204);
        assertEquals(List.of("frz-staff"), startingNow(plan()));
        given().auth()
                .oauth2(TestTokens.operator())
                .when()
                .delete("/api/freezes/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void shouldFreezeOnlyItsScopeWeeklyOrByTenantOrReef() {
        createFreeze(
                "{\"scope\":\"reef\",\"target\":\"elsewhere\",\"weekly\":\"Mon 00:00-24:00\",\"reason\":\"move\"}");
        assertEquals(List.of("frz-staff"), startingNow(plan()));

        createFreeze("{\"scope\":\"tenant\",\"target\":\"tenant-frz-staff\",\"weekly\":\"Mon 00:00-24:00\","
                + "\"reason\":\"customer demo on Mondays\"}");
        JsonPath plan = plan();
        assertEquals(List.of(), startingNow(plan));
        assertEquals("frozen", staff(plan).get("reason"));
        assertEquals("2026-03-03T00:00:00Z", staff(plan).get("start"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/freezes")
                .then()
                .statusCode(200)
                .body("weekly", containsInAnyOrder("Mon 00:00-24:00 UTC", "Mon 00:00-24:00 UTC"))
                .body("scope", containsInAnyOrder("reef", "tenant"));
    }

    @Test
    void shouldRejectInvalidFreezesNamingFieldsAndStoreNothing() {
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"scope\":\"tenant\",\"start\":\"2026-03-02T10:00:00Z\",\"end\":\"2026-03-02T09:00:00Z\"}")
                .when()
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("target", "end", "reason"));
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"scope\":\"sometimes\",\"weekly\":\"Someday 25:00-99:00\",\"end\":\"soon\",\"reason\":\"x\"}")
                .when()
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .body("violations.field", containsInAnyOrder("scope", "end", "weekly", "weekly"));
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"scope\":\"global\",\"reason\":\"no period\"}")
                .when()
                .post("/api/freezes")
                .then()
                .statusCode(400)
                .body("violations.field", containsInAnyOrder("start"));
        assertEquals(0, storedFreezes());
    }

    @Test
    void shouldRequireOperatorToChangeFreezesAndViewerToReadThem() {
        String body = "{\"scope\":\"global\",\"weekly\":\"Sat,Sun 00:00-24:00\",\"reason\":\"weekends\"}";
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/freezes")
                .then()
                .statusCode(403);
        given().contentType(ContentType.JSON)
                .body(body)
                .when()
                .get("/api/freezes")
                .then()
                .statusCode(401);
        String id = createFreeze(body);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .delete("/api/freezes/" + id)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/freezes")
                .then()
                .statusCode(200)
                .body("[0].weekly", equalTo("Sat,Sun 00:00-24:00 UTC"))
                .body("[0].activeNow", equalTo(false));
        // A weekend freeze does not hold on a Monday morning.
        assertEquals(List.of("frz-staff"), startingNow(plan()));
        given().auth()
                .oauth2(TestTokens.operator())
                .when()
                .delete("/api/freezes/unknown")
                .then()
                .statusCode(404)
                .body("detail", endsWith("does not exist"));
        assertEquals(1, storedFreezes());
    }
}
