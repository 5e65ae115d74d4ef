package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.commit;
import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.incident;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.release;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
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
 * Every DORA metric on a dataset small enough to compute by hand (the numbers in the comments), one month long.
 *
 * <p>Commits c1 (Dec 1), c2 (Dec 2) go out in release .1, c3 (Dec 3) in release .2; release .3 adds none. Release .1
 * reaches staff Dec 4, its first customer (canary) Dec 5, the last non-laggard (stable) Dec 7, a laggard Dec 20.
 * Release .2 fails its first customer upgrade Dec 10, then reaches canary Dec 11 and stable Dec 12. Release .3 reaches a
 * canary Dec 15.
 */
@QuarkusTest
class DoraMetricsTest {

    private static final double DAY = 86_400;
    private static final double HOUR = 3_600;

    @Inject
    EntityManager em;

    @BeforeEach
    void december() {
        TestEvents.clear(em);
        post(
                        "commits",
                        "[" + commit("aaaa001", "2025-12-01T00:00:00Z") + ","
                                + commit("aaaa002", "2025-12-02T00:00:00Z") + ","
                                + commit("aaaa003", "2025-12-03T00:00:00Z") + "]")
                .statusCode(200);
        post(
                        "releases",
                        "[" + release("2025.12.1", "2025-12-03T12:00:00Z", "aaaa001", "aaaa002") + ","
                                + release("2025.12.2", "2025-12-09T00:00:00Z", "aaaa003") + ","
                                + release("2025.12.3", "2025-12-14T00:00:00Z") + "]")
                .statusCode(200);
        post(
                        "deployments",
                        "[" + deployment("dogfood", "2025.12.1", "staff", "2025-12-04T00:00:00Z", true) + ","
                                + deployment("inst-a", "2025.12.1", "canary", "2025-12-05T00:00:00Z", true) + ","
                                + deployment("inst-b", "2025.12.1", "stable", "2025-12-07T00:00:00Z", true) + ","
                                + deployment("inst-c", "2025.12.1", "laggard", "2025-12-20T00:00:00Z", true) + ","
                                + deployment("inst-a", "2025.12.2", "canary", "2025-12-10T01:00:00Z", false) + ","
                                + deployment("inst-a", "2025.12.2", "canary", "2025-12-11T00:00:00Z", true) + ","
                                + deployment("inst-b", "2025.12.2", "stable", "2025-12-12T00:00:00Z", true) + ","
                                + deployment("inst-a", "2025.12.3", "canary", "2025-12-15T00:00:00Z", true) + "]")
                .statusCode(200)
                .body("stored", equalTo(8));
        post(
                        "incidents",
                        "["
                                // Caused by release .1 and commit c2; resolved 30 min after detection, before the fix
                                // (release .2) reached a customer.
                                + incident(
                                        "i1",
                                        "SEV-1",
                                        "2025-12-09T00:00:00Z",
                                        "\"causingRelease\":\"2025.12.1\",\"causingCommits\":[\"aaaa002\"],"
                                                + "\"resolvedAt\":\"2025-12-09T00:30:00Z\",\"fixVersion\":\"2025.12.2\","
                                                + "\"details\":\"Timeout token broke the selector\","
                                                + "\"links\":[\"https://andon/cords/1\"],")
                                + ","
                                // No linked change, but an impact start: detected after 2 h, fixed in 1 h.
                                + incident(
                                        "i2",
                                        "SEV-2",
                                        "2025-12-14T02:00:00Z",
                                        "\"impactStartedAt\":\"2025-12-14T00:00:00Z\","
                                                + "\"resolvedAt\":\"2025-12-14T03:00:00Z\",")
                                + ","
                                // Blames a release from before tracking began, names no commit, still open.
                                + incident("i3", "SEV-0", "2025-12-16T00:00:00Z", "\"causingRelease\":\"2025.11.9\",")
                                + "]")
                .statusCode(200);
    }

    @Test
    void shouldComputeEveryMetricOfTheMonthByHand() {
        JsonPath dora = dora("month");
        String total = "total.metrics.";
        // Lead time to first customer: c1 4 d, c2 3 d, c3 8 d.
        assertMetric(dora, total + "leadTimeToFirstCustomer", 3, 4 * DAY, 7.2 * DAY, 5 * DAY);
        assertEquals("4 d 0 h", dora.getString(total + "leadTimeToFirstCustomer.display"));
        assertEquals("high", dora.getString(total + "leadTimeToFirstCustomer.level"));
        assertEquals(DAY, dora.getDouble(total + "leadTimeToFirstCustomer.goal"), 0.001);
        assertEquals(false, dora.getBoolean(total + "leadTimeToFirstCustomer.meetsGoal"));
        // To every non-laggard: c1 6 d, c2 5 d, c3 9 d (the laggard of release .1 is not waited for).
        assertMetric(dora, total + "leadTimeToNonLaggards", 3, 6 * DAY, 8.4 * DAY, 20 * DAY / 3);
        // Three releases reached a customer in 31 days; five customer upgrades succeeded.
        assertEquals(3, dora.getLong(total + "deploymentFrequency.numerator"));
        assertEquals(3 / 31.0, dora.getDouble(total + "deploymentFrequency.value"), 1e-6);
        assertEquals(
                6.0,
                dora.getDouble(
                        total + "deploymentFrequency.statistics.find { it.statistic == 'instanceDeployments' }.value"));
        assertEquals("medium", dora.getString(total + "deploymentFrequency.level"));
        // Release .1 caused i1, release .2 failed an upgrade, release .3 is clean: 2 of 3.
        assertEquals(2, dora.getLong(total + "changeFailureRate.numerator"));
        assertEquals(3, dora.getLong(total + "changeFailureRate.denominator"));
        assertEquals("2 of 3 releases (66.67%)", dora.getString(total + "changeFailureRate.display"));
        assertEquals("low", dora.getString(total + "changeFailureRate.level"));
        // Detect: i1 4 d (release .1 first reached a customer Dec 5), i2 2 h; i3 has no known start and is left out.
        assertMetric(
                dora,
                total + "timeToDetect",
                2,
                (4 * DAY + 2 * HOUR) / 2,
                2 * HOUR + 0.9 * (4 * DAY - 2 * HOUR),
                (4 * DAY + 2 * HOUR) / 2);
        // Fix: i1 30 min (resolved before the fix release reached a customer), i2 1 h; i3 is open.
        assertMetric(dora, total + "timeToFix", 2, 2700, 3420, 2700);
        assertEquals("elite", dora.getString(total + "timeToFix.level"));
        assertEquals(true, dora.getBoolean(total + "timeToFix.meetsGoal"));
        // Escapes: c2 (i1) and i3 as a change of its own (it names no commit); i2 is SEV-2. 2 of 3 commits.
        assertEquals(2, dora.getLong(total + "highSeverityDefectEscapeRate.numerator"));
        assertEquals(3, dora.getLong(total + "highSeverityDefectEscapeRate.denominator"));
        assertEquals("2 of 3 commits (66.67%)", dora.getString(total + "highSeverityDefectEscapeRate.display"));
        assertNull(dora.get(total + "highSeverityDefectEscapeRate.level"));
        // One group, the month itself, holds the same values.
        assertEquals(1, dora.getList("groups").size());
        assertEquals(4 * DAY, dora.getDouble("groups[0].metrics.leadTimeToFirstCustomer.value"), 0.001);
    }

    @Test
    void shouldGroupByWeekStartingOnMonday() {
        JsonPath dora = dora("week");
        // 2025-12-01 is a Monday: weeks Dec 1, 8, 15, 22, 29.
        assertEquals(5, dora.getList("groups").size());
        assertEquals("2025-12-01T00:00:00Z", dora.getString("groups[0].start"));
        // First week: release .1 reached its first customer (c1 4 d, c2 3 d).
        assertMetric(dora, "groups[0].metrics.leadTimeToFirstCustomer", 2, 3.5 * DAY, 3.9 * DAY, 3.5 * DAY);
        // Second week: release .2 (c3 8 d).
        assertMetric(dora, "groups[1].metrics.leadTimeToFirstCustomer", 1, 8 * DAY, 8 * DAY, 8 * DAY);
        assertEquals(0, dora.getLong("groups[3].metrics.leadTimeToFirstCustomer.samples"));
        assertEquals("no data", dora.getString("groups[3].metrics.leadTimeToFirstCustomer.display"));
        // The last week is clipped to the period: Dec 29 to Jan 1.
        assertEquals("2026-01-01T00:00:00Z", dora.getString("groups[4].end"));
    }

    @Test
    void shouldListTheMonthsDefectsWithTheEscapeRate() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/defects?month=2025-12")
                .then()
                .statusCode(200)
                .body("commits", equalTo(3))
                .body("escapedCommits", equalTo(2))
                .body("escapeRatePercent", equalTo("66.67%"))
                .body("defects.incidentId", equalTo(List.of("i1", "i3")))
                .body("defects[0].reportedOn", equalTo("2025-12-09"))
                .body("defects[0].details", equalTo("Timeout token broke the selector"))
                .body("defects[0].links", hasItem("https://andon/cords/1"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .accept("text/csv")
                .get("/api/defects?month=2025-12")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .body(containsString("reporting_date,severity,title,details,source,causing_release,commits,links"))
                .body(containsString(
                        "2025-12-09,SEV-1,Defect i1,Timeout token broke the selector,andon,2025.12.1,aaaa002,"
                                + "https://andon/cords/1"));
    }

    @Test
    void shouldExportTextThatLooksLikeAFormulaAsPlainText() {
        post(
                        "incidents",
                        "["
                                + incident(
                                        "i4",
                                        "SEV-1",
                                        "2025-12-20T00:00:00Z",
                                        "\"details\":\"=HYPERLINK(\\\"https://evil.example\\\",\\\"open\\\")\",")
                                + "]")
                .statusCode(200);

        String csv = given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/defects?month=2025-12&format=csv")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        // A spreadsheet reads a leading ' as "this is text": the formula is shown, never run.
        assertThat(csv, containsString(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"open\"\")\","));
        assertThat(csv, not(containsString(",=HYPERLINK")));
    }

    @Test
    void shouldExportTheMetricsAsCsv() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/dora?from=2025-12-01&to=2026-01-01&groupBy=month&format=csv")
                .then()
                .statusCode(200)
                .contentType(containsString("text/csv"))
                .body(containsString("total,2025-12-01T00:00:00Z,2026-01-01T00:00:00Z,leadTimeToFirstCustomer,median,"
                        + "345600.0,seconds,3,high,86400.0,false"))
                .body(containsString("leadTimeToFirstCustomer,p90,622080.0"));
    }

    @Test
    void shouldRejectBadPeriodsWithAProblem() {
        for (String query : List.of(
                "from=2026-01-01&to=2025-12-01",
                "from=yesterday",
                "groupBy=day",
                "from=2020-01-01&to=2025-01-01",
                "format=xml")) {
            given().auth()
                    .oauth2(TestTokens.viewer())
                    .get("/api/dora?" + query)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json");
        }
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/defects?month=December")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("month"));
    }

    private static JsonPath dora(String groupBy) {
        return given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/dora?from=2025-12-01T00:00:00Z&to=2026-01-01T00:00:00Z&groupBy=" + groupBy)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static void assertMetric(JsonPath json, String path, long samples, double median, double p90, double mean) {
        List<String> problems = new ArrayList<>();
        check(problems, path + ".samples", samples, json.getDouble(path + ".samples"));
        check(
                problems,
                path + " median",
                median,
                json.getDouble(path + ".statistics.find { it.statistic == 'median' }.value"));
        check(problems, path + " p90", p90, json.getDouble(path + ".statistics.find { it.statistic == 'p90' }.value"));
        check(
                problems,
                path + " mean",
                mean,
                json.getDouble(path + ".statistics.find { it.statistic == 'mean' }.value"));
        assertEquals(List.of(), problems);
    }

    private static void check(List<String> problems, String what, double expected, double actual) {
        if (Math.abs(expected - actual) > Math.max(0.01, Math.abs(expected) * 1e-6)) {
            problems.add(what + ": expected " + expected + " but was " + actual);
        }
    }
}
