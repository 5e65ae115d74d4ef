package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.incident;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.release;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Time to detect from the impact's start and per ring, failed deployment recovery time and the deployment rework rate,
 * on a month small enough to compute by hand (the numbers in the comments).
 *
 * <p>November 2025. Release .1 reaches its first customer Nov 2 00:00 and two more Nov 3. Release .2 is the fix of
 * incident n1 (its fixVersion): staff Nov 5 (not a customer), two customers Nov 6. Release .3 says it fixes n2 (its
 * release event): two customers Nov 20-21, and one failed upgrade Nov 20 (not a deployment that happened). Release .4 is
 * planned: one customer Nov 25. So 8 customer deployments, 4 of them rework: 50%.
 */
@QuarkusTest
class DetectionAndReworkTest {

    @Inject
    EntityManager em;

    @BeforeEach
    void november() {
        TestEvents.clear(em);
        post(
                        "releases",
                        "[" + release("2025.11.1", "2025-11-01T00:00:00Z") + ","
                                + release("2025.11.2", "2025-11-04T00:00:00Z") + ","
                                + release("2025.11.3", "2025-11-19T06:00:00Z")
                                        .replace("}", ",\"fixesIncident\":\"n2\"}")
                                + "," + release("2025.11.4", "2025-11-24T00:00:00Z") + "]")
                .statusCode(200);
        post(
                        "deployments",
                        "[" + deployment("inst-a", "2025.11.1", "canary", "2025-11-02T00:00:00Z", true) + ","
                                + deployment("inst-b", "2025.11.1", "stable", "2025-11-03T00:00:00Z", true) + ","
                                + deployment("inst-c", "2025.11.1", "stable", "2025-11-03T01:00:00Z", true) + ","
                                + deployment("dogfood", "2025.11.2", "staff", "2025-11-05T00:00:00Z", true) + ","
                                + deployment("inst-a", "2025.11.2", "canary", "2025-11-06T00:00:00Z", true) + ","
                                + deployment("inst-b", "2025.11.2", "stable", "2025-11-06T01:00:00Z", true) + ","
                                + deployment("inst-a", "2025.11.3", "canary", "2025-11-20T00:00:00Z", true) + ","
                                + deployment("inst-b", "2025.11.3", "stable", "2025-11-20T01:00:00Z", false) + ","
                                + deployment("inst-c", "2025.11.3", "stable", "2025-11-21T00:00:00Z", true) + ","
                                + deployment("inst-a", "2025.11.4", "canary", "2025-11-25T00:00:00Z", true) + "]")
                .statusCode(200);
        post(
                        "incidents",
                        "["
                                // Canary analysis: impact 06:00, detected 06:10 (600 s, though release .1 reached a
                                // customer at 00:00), resolved after 1 h (release .2 reached a customer later).
                                + incident(
                                        "n1",
                                        "SEV-2",
                                        "2025-11-02T06:10:00Z",
                                        "\"causingRelease\":\"2025.11.1\",\"impactStartedAt\":\"2025-11-02T06:00:00Z\","
                                                + "\"ring\":\"canary\",\"resolvedAt\":\"2025-11-02T07:10:00Z\","
                                                + "\"fixVersion\":\"2025.11.2\",")
                                + ","
                                // Canary analysis: detected after 1200 s, fixed in 1 h.
                                + incident(
                                        "n2",
                                        "SEV-2",
                                        "2025-11-19T00:20:00Z",
                                        "\"impactStartedAt\":\"2025-11-19T00:00:00Z\",\"ring\":\"canary\","
                                                + "\"resolvedAt\":\"2025-11-19T01:20:00Z\",")
                                + ","
                                // Found in stable without an impact start: from release .1's first customer, 2 d;
                                // fixed in 2 h.
                                + incident(
                                        "n3",
                                        "SEV-2",
                                        "2025-11-04T00:00:00Z",
                                        "\"causingRelease\":\"2025.11.1\",\"ring\":\"stable\","
                                                + "\"resolvedAt\":\"2025-11-04T02:00:00Z\",")
                                + ","
                                // No ring, detected after 1 h, still open: no fix, no recovery time.
                                + incident(
                                        "n4",
                                        "SEV-3",
                                        "2025-11-10T01:00:00Z",
                                        "\"impactStartedAt\":\"2025-11-10T00:00:00Z\",")
                                + "]")
                .statusCode(200)
                .body("stored", equalTo(4));
    }

    @Test
    void shouldMeasureTimeToDetectFromTheImpactAndPerRing() {
        JsonPath dora = dora("month");
        String total = "total.metrics.";
        // n1 600 s, n2 1200 s, n3 172800 s, n4 3600 s: median (1200 + 3600) / 2, p90 3600 + 0.7 * (172800 - 3600).
        assertMetric(dora, total + "timeToDetect", 4, 2400, 122_040, 178_200 / 4.0);
        // canary: n1 and n2; stable: n3; n4 names no ring and counts in the total only.
        assertMetric(dora, total + "timeToDetect.byRing.canary", 2, 900, 1140, 900);
        assertEquals("15 min", dora.getString(total + "timeToDetect.byRing.canary.display"));
        assertEquals("elite", dora.getString(total + "timeToDetect.byRing.canary.level"));
        assertMetric(dora, total + "timeToDetect.byRing.stable", 1, 172_800, 172_800, 172_800);
        assertEquals(
                List.of("canary", "stable"),
                new ArrayList<>(dora.getMap(total + "timeToDetect.byRing").keySet()));
        // By week (Mondays; the first week is clipped to Nov 1-2): n1 in the first, n3 in the second, n4 (no ring)
        // in the third, n2 in the fourth.
        JsonPath weeks = dora("week");
        assertNull(weeks.get("groups[0].metrics.timeToDetect.byRing.stable"));
        assertEquals(600, weeks.getDouble("groups[0].metrics.timeToDetect.byRing.canary.value"), 0.001);
        assertEquals(172_800, weeks.getDouble("groups[1].metrics.timeToDetect.byRing.stable.value"), 0.001);
        assertEquals(1200, weeks.getDouble("groups[3].metrics.timeToDetect.byRing.canary.value"), 0.001);
        assertEquals(0, weeks.getMap("groups[2].metrics.timeToDetect.byRing").size());
    }

    @Test
    void shouldReportFailedDeploymentRecoveryTimeAsDetectPlusFix() {
        JsonPath dora = dora("month");
        String total = "total.metrics.";
        // Fix: n1 3600 s, n2 3600 s, n3 7200 s; n4 is open.
        assertMetric(dora, total + "timeToFix", 3, 3600, 6480, 4800);
        // Recovery: n1 600 + 3600, n2 1200 + 3600, n3 172800 + 7200: median 4800, p90 4800 + 0.8 * 175200.
        assertMetric(dora, total + "failedDeploymentRecoveryTime", 3, 4800, 144_960, 63_000);
        assertEquals("1 h 20 min", dora.getString(total + "failedDeploymentRecoveryTime.display"));
        assertEquals("high", dora.getString(total + "failedDeploymentRecoveryTime.level"));
    }

    @Test
    void shouldCountDeploymentsOfFixReleasesAsRework() {
        JsonPath month = dora("month");
        String rework = "total.metrics.deploymentReworkRate.";
        assertEquals(4, month.getLong(rework + "numerator"));
        assertEquals(8, month.getLong(rework + "denominator"));
        assertEquals(0.5, month.getDouble(rework + "value"), 1e-9);
        assertEquals("4 of 8 deployments (50.00%)", month.getString(rework + "display"));
        assertNull(month.get(rework + "level"));
        // Weeks: Nov 1-2 0 of 1; Nov 3-9 2 of 4 (release .2); Nov 10-16 none; Nov 17-23 2 of 2 (release .3);
        // Nov 24-30 0 of 1.
        JsonPath weeks = dora("week");
        List<String> displays = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            displays.add(weeks.getString("groups[" + i + "].metrics.deploymentReworkRate.display"));
        }
        assertEquals(
                List.of(
                        "0 of 1 deployments (0.00%)",
                        "2 of 4 deployments (50.00%)",
                        "no deployments",
                        "2 of 2 deployments (100.00%)",
                        "0 of 1 deployments (0.00%)"),
                displays);
    }

    @Test
    void shouldJudgeTheNewMetricsAgainstGoalsAndExportThemAsCsv() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .header("If-Match", "*")
                .body("{\"leadTime\":\"P1D\",\"failedDeploymentRecoveryTime\":\"PT2H\",\"deploymentReworkRate\":0.25}")
                .put("/api/goals")
                .then()
                .statusCode(200)
                .body("failedDeploymentRecoveryTime", equalTo("PT2H"))
                .body("deploymentReworkRate", equalTo(0.25f));
        JsonPath dora = dora("month");
        assertEquals(7200, dora.getDouble("total.metrics.failedDeploymentRecoveryTime.goal"), 0.001);
        assertEquals(true, dora.getBoolean("total.metrics.failedDeploymentRecoveryTime.meetsGoal"));
        assertEquals(0.25, dora.getDouble("total.metrics.deploymentReworkRate.goal"), 1e-9);
        assertEquals(false, dora.getBoolean("total.metrics.deploymentReworkRate.meetsGoal"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/dora?from=2025-11-01&to=2025-12-01&groupBy=month&format=csv")
                .then()
                .statusCode(200)
                .body(containsString("total,2025-11-01T00:00:00Z,2025-12-01T00:00:00Z,deploymentReworkRate,ratio,0.5,"
                        + "ratio,8,,0.25,false"))
                .body(containsString("total,2025-11-01T00:00:00Z,2025-12-01T00:00:00Z,failedDeploymentRecoveryTime,"
                        + "median,4800.0,seconds,3,high,7200.0,true"))
                .body(containsString("total,2025-11-01T00:00:00Z,2025-12-01T00:00:00Z,timeToDetect.byRing.canary,"
                        + "median,900.0,seconds,2,elite,,"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType("application/json")
                .header("If-Match", "*")
                .body("{\"failedDeploymentRecoveryTime\":\"two hours\"}")
                .put("/api/goals")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("failedDeploymentRecoveryTime"));
    }

    @Test
    void shouldRefuseAnImpactAfterTheDetectionABadRingOrAnEmptyFixAndStoreNothing() {
        long incidents = TestEvents.count(em, "incident");
        post(
                        "incidents",
                        incident(
                                "n9", "SEV-2", "2025-11-05T00:00:00Z", "\"impactStartedAt\":\"2025-11-05T00:01:00Z\","))
                .statusCode(400)
                .body("violations.field", hasItem("impactStartedAt"));
        post("incidents", incident("n9", "SEV-2", "2025-11-05T00:00:00Z", "\"ring\":\"Canary!\","))
                .statusCode(400)
                .body("violations.field", hasItem("ring"));
        assertEquals(incidents, TestEvents.count(em, "incident"));
        long releases = TestEvents.count(em, "release");
        post("releases", release("2025.11.9", "2025-11-05T00:00:00Z").replace("}", ",\"fixesIncident\":\"\"}"))
                .statusCode(400)
                .body("violations.field", hasItem("fixesIncident"));
        assertEquals(releases, TestEvents.count(em, "release"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/incidents?size=10")
                .then()
                .statusCode(200)
                .body("items.find { it.id == 'n1' }.ring", equalTo("canary"))
                .body("items.find { it.id == 'n1' }.impactStartedAt", equalTo("2025-11-02T06:00:00Z"));
    }

    private static JsonPath dora(String groupBy) {
        return given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/dora?from=2025-11-01T00:00:00Z&to=2025-12-01T00:00:00Z&groupBy=" + groupBy)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void assertMetric(JsonPath json, String path, long samples, double median, double p90, double mean) {
        List<String> problems = new ArrayList<>();
        check(problems, path + ".samples", samples, json.getDouble(path + ".samples"));
        check(problems, path + " median", median, statistic(json, path, "median"));
        check(problems, path + " p90", p90, statistic(json, path, "p90"));
        check(problems, path + " mean", mean, statistic(json, path, "mean"));
        assertEquals(List.of(), problems);
    }

    private static double statistic(JsonPath json, String path, String name) {
        return json.getDouble(path + ".statistics.find { it.statistic == '" + name + "' }.value");
    }

    private static void check(List<String> problems, String what, double expected, double actual) {
        if (Math.abs(expected - actual) > Math.max(0.01, Math.abs(expected) * 1e-6)) {
            problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
