package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.reefline.flag.TestData.ofrep;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ReleasePlanTest {

    private static final String PLAN = "/api/flags/new-task-log/environments/production/plan";
    private static final int TENANTS = 200;

    @Inject
    MovableClock clock;

    private final FakeAndonGate gate = new FakeAndonGate();
    private String sdkKey;

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("new-task-log", "boolean", "{\"on\":true,\"off\":false}", "off");
        sdkKey = TestData.sdkKey("production");
        gate.start();
    }

    @AfterEach
    void tearDown() {
        gate.stop();
        TestData.clear();
        clock.reset();
    }

    @Test
    void shouldRampOnScheduleKeepEveryoneWhoHasItAndHoldWhileTheGateIsClosedOrUnreachable() {
        as(TestTokens.operator())
                .body("""
                        {"variant":"on","release":"2026.11.1","staffTenants":["staff-co"],"staffFor":"PT1H",
                         "earlyAdopters":["early-1","early-2"],"earlyAdoptersFor":"PT1H",
                         "rampFrom":10,"rampSteps":3,"rampPeriod":"PT3H","excludedTenants":["t-excluded"]}
                        """)
                .post(PLAN)
                .then()
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("phaseName", equalTo("off"))
                .body(
                        "phases",
                        hasItems("off", "staff", "early-adopters", "ramp-10%", "ramp-40%", "ramp-70%", "everyone"));

        // Starts now: the job takes the first step at once, after asking the gate for the plan's release.
        JsonPath staff = awaitPlan(plan -> "staff".equals(plan.getString("phaseName")));
        assertEquals(
                Instant.parse(staff.getString("phaseStartedAt")).plus(Duration.ofHours(1)),
                Instant.parse(staff.getString("nextStepAt")));
        assertEquals("release=2026.11.1", gate.lastQuery());
        assertTrue(gate.lastAuthorization().startsWith("Bearer "), gate.lastAuthorization());
        TestData.sync();
        assertTrue(on("staff-co", null));
        assertTrue(on("acme", "staff"));
        assertFalse(on("early-1", null));
        assertEquals(Set.of(), tenantsWithTheFeature());

        clock.advance(Duration.ofMinutes(61));
        awaitPlan(plan -> "early-adopters".equals(plan.getString("phaseName")));
        TestData.sync();
        assertTrue(on("early-1", null));
        assertTrue(on("staff-co", null));
        assertEquals(Set.of(), tenantsWithTheFeature());

        clock.advance(Duration.ofMinutes(61));
        awaitPlan(plan -> "ramp-10%".equals(plan.getString("phaseName")));
        TestData.sync();
        Set<String> tenPercent = tenantsWithTheFeature();
        assertTrue(tenPercent.size() > 5 && tenPercent.size() < 40, tenPercent.toString());

        clock.advance(Duration.ofMinutes(61));
        awaitPlan(plan -> "ramp-40%".equals(plan.getString("phaseName")));
        TestData.sync();
        Set<String> fortyPercent = tenantsWithTheFeature();
        assertTrue(fortyPercent.containsAll(tenPercent), "nobody loses the feature as the ramp grows");
        assertTrue(fortyPercent.size() > 50 && fortyPercent.size() < 110, fortyPercent.toString());

        // A pulled cord closes the gate: the due step does not happen, and the plan says why.
        gate.open(false);
        clock.advance(Duration.ofMinutes(61));
        JsonPath held = awaitPlan(plan -> "held".equals(plan.getString("status")));
        assertEquals("ramp-40%", held.getString("phaseName"));
        assertTrue(held.getString("pauseReason").contains("andon gate closed"), held.getString("pauseReason"));
        assertTrue(held.getString("pauseReason").contains("checkout errors"), held.getString("pauseReason"));

        // A gate that cannot be reached is as good as closed.
        gate.stop();
        JsonPath unreachable = awaitPlan(plan -> plan.getString("pauseReason").contains("unreachable"));
        assertEquals("held", unreachable.getString("status"));
        assertEquals("ramp-40%", unreachable.getString("phaseName"));
        TestData.sync();
        assertEquals(fortyPercent, tenantsWithTheFeature());

        // The gate opens again: the held step happens.
        gate.open(true);
        gate.start();
        JsonPath resumed = awaitPlan(plan -> "ramp-70%".equals(plan.getString("phaseName")));
        assertEquals("active", resumed.getString("status"));
        assertEquals(null, resumed.getString("pauseReason"));
        TestData.sync();
        Set<String> seventyPercent = tenantsWithTheFeature();
        assertTrue(seventyPercent.containsAll(fortyPercent), "nobody loses the feature as the ramp grows");
        assertTrue(seventyPercent.size() > fortyPercent.size());

        clock.advance(Duration.ofMinutes(61));
        JsonPath done = awaitPlan(plan -> "everyone".equals(plan.getString("phaseName")));
        assertEquals("completed", done.getString("status"));
        assertEquals(null, done.getString("nextStepAt"));
        TestData.sync();
        assertEquals(TENANTS, tenantsWithTheFeature().size());
        assertFalse(on("t-excluded", null));
        assertFalse(on("t-excluded", "staff"));

        as(TestTokens.viewer())
                .get("/api/flags/new-task-log/audit?size=200")
                .then()
                .statusCode(200)
                .body(
                        "items.action",
                        hasItems(
                                "plan-create",
                                "plan-advance",
                                "plan-hold",
                                "plan-phase ramp-40%",
                                "plan-phase everyone"))
                .body("items.find { it.action == 'plan-hold' }.actor", equalTo("release-plan"));
    }

    @Test
    void shouldPauseResumeAndStopByHand() {
        as(TestTokens.operator())
                .body("{\"variant\":\"on\",\"staffTenants\":[\"staff-co\"],\"startAt\":\""
                        + clock.instant().plus(Duration.ofHours(1)) + "\"}")
                .post(PLAN)
                .then()
                .statusCode(201)
                .body("phaseName", equalTo("off"));
        as(TestTokens.operator())
                .body("{\"reason\":\"waiting for support\"}")
                .post(PLAN + "/pause")
                .then()
                .statusCode(200)
                .body("status", equalTo("paused"))
                .body("pauseReason", containsString("waiting for support"));

        clock.advance(Duration.ofHours(2));
        Awaitility.await()
                .during(Duration.ofMillis(800))
                .atMost(Duration.ofSeconds(3))
                .until(() -> "off".equals(plan().getString("phaseName")));

        as(TestTokens.operator())
                .post(PLAN + "/resume")
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("pauseReason", nullValue());
        awaitPlan(plan -> "staff".equals(plan.getString("phaseName")));

        as(TestTokens.operator())
                .post(PLAN + "/stop")
                .then()
                .statusCode(200)
                .body("status", equalTo("stopped"))
                .body("nextStepAt", nullValue());
        as(TestTokens.operator()).post(PLAN + "/resume").then().statusCode(409);
        as(TestTokens.operator()).post(PLAN + "/pause").then().statusCode(409);
        TestData.sync();
        assertTrue(on("staff-co", null), "a stopped plan leaves the flag as its last phase wrote it");

        // Saving a stopped plan starts it over.
        as(TestTokens.operator())
                .body("{\"variant\":\"on\",\"startAt\":\"" + clock.instant().plus(Duration.ofDays(1)) + "\"}")
                .post(PLAN)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("phaseName", equalTo("off"));
        as(TestTokens.viewer())
                .get("/api/flags/new-task-log/audit")
                .then()
                .body("items.action", hasItems("plan-create", "plan-pause", "plan-resume", "plan-stop", "plan-update"));
    }

    @Test
    void shouldRefuseBadPlansWithProblems() {
        as(TestTokens.viewer()).get(PLAN).then().statusCode(404);
        as(TestTokens.viewer()).body("{\"variant\":\"on\"}").post(PLAN).then().statusCode(403);
        badPlan("{\"variant\":\"maybe\"}", "variant");
        badPlan("{\"variant\":\"on\",\"rampFrom\":0}", "rampFrom");
        badPlan("{\"variant\":\"on\",\"rampSteps\":0}", "rampSteps");
        badPlan("{\"variant\":\"on\",\"rampPeriod\":\"three days\"}", "rampPeriod");
        badPlan("{\"variant\":\"on\",\"staffFor\":\"-PT1H\"}", "staffFor");
        badPlan("{\"variant\":\"on\",\"startAt\":\"tomorrow\"}", "startAt");
        badPlan("{\"variant\":\"on\",\"earlyAdopters\":[\" \"]}", "earlyAdopters[0]");
        as(TestTokens.operator()).body("{}").post(PLAN).then().statusCode(400).contentType("application/problem+json");
        as(TestTokens.operator())
                .body("{\"variant\":\"on\"}")
                .post("/api/flags/nope/environments/production/plan")
                .then()
                .statusCode(404);
        as(TestTokens.operator()).post(PLAN + "/pause").then().statusCode(404);
    }

    private static void badPlan(String body, String field) {
        as(TestTokens.operator())
                .body(body)
                .post(PLAN)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo(field));
    }

    private static JsonPath plan() {
        return as(TestTokens.viewer())
                .get(PLAN)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static JsonPath awaitPlan(Predicate<JsonPath> condition) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .until(ReleasePlanTest::plan, condition);
    }

    private boolean on(String tenant, String ring) {
        String context = "{\"targetingKey\":\"user-of-" + tenant + "\",\"tenant\":\"" + tenant + "\""
                + (ring == null ? "" : ",\"ring\":\"" + ring + "\"") + "}";
        return ofrep(sdkKey)
                .body("{\"context\":" + context + "}")
                .post("/ofrep/v1/evaluate/flags/new-task-log")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getBoolean("value");
    }

    /** Which of the tenants t-0 … t-199 (none of them staff or early adopters) get the feature now. */
    private Set<String> tenantsWithTheFeature() {
        Set<String> on = new HashSet<>();
        for (int i = 0; i < TENANTS; i++) {
            if (on("t-" + i, null)) {
                on.add("t-" + i);
            }
        }
        return on;
    }
}
