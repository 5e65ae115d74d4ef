package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.downtime;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.serviceDowntime;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.metrics.domain.DowntimeIntervals;
import io.reefline.metrics.domain.DowntimeIntervals.Interval;
import io.reefline.testing.TestTokens;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * February 2026 (28 days, 2,419,200 s) for a fleet of two instances, plus the service {@code api} that reported a
 * fleet-wide outage: three members.
 */
@QuarkusTest
class UptimeTest {

    private static final double FEBRUARY = 28 * 86_400;

    @Inject
    EntityManager em;

    @BeforeEach
    void february() {
        TestEvents.clear(em);
        post(
                        "deployments",
                        "[" + deployment("inst-u1", "1.0", "stable", "2026-01-10T00:00:00Z", true) + ","
                                + deployment("inst-u2", "1.0", "stable", "2026-01-10T00:00:00Z", true) + "]")
                .statusCode(200);
        post(
                        "downtime",
                        "["
                                // The sidecar's report and an operator's of the same outage overlap: 10:00-10:15 once.
                                + downtime("inst-u1", "2026-02-02T10:00:00Z", "2026-02-02T10:10:00Z", false) + ","
                                + downtime("inst-u1", "2026-02-02T10:05:00Z", "2026-02-02T10:15:00Z", false) + ","
                                // Planned maintenance: 30 min.
                                + downtime("inst-u1", "2026-02-03T09:00:00Z", "2026-02-03T09:30:00Z", true) + ","
                                // The whole service down 5 min: every member loses it.
                                + serviceDowntime("api", "2026-02-10T00:00:00Z", "2026-02-10T00:05:00Z") + "]")
                .statusCode(200);
    }

    @Test
    void shouldMergeOverlapsPerMemberAndAverageOverTheFleet() {
        JsonPath uptime = given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/uptime?from=2026-01-01&to=2026-03-01")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("2026-01", "2026-02"), uptime.getList("months.month"));
        // January: two instances, no downtime.
        assertEquals(2, uptime.getInt("months[0].members"));
        assertEquals("100%", uptime.getString("months[0].uptimePercent"));
        // February unplanned: inst-u1 900 + 300 s, inst-u2 300 s, api 300 s = 1,800 s over 3 members.
        double unplanned = 1 - 1800 / (3 * FEBRUARY);
        assertEquals(3, uptime.getInt("months[1].members"));
        assertEquals(unplanned, uptime.getDouble("months[1].uptime"), 1e-7);
        assertEquals("99.9751%", uptime.getString("months[1].uptimePercent"));
        assertEquals(150, uptime.getInt("months[1].weeklyUnplannedDowntimeSeconds"));
        // Including the 1,800 s of planned maintenance: 3,600 s.
        assertEquals(1 - 3600 / (3 * FEBRUARY), uptime.getDouble("months[1].uptimeInclPlanned"), 1e-7);
        assertEquals("99.9503%", uptime.getString("months[1].uptimeInclPlannedPercent"));
        assertEquals(300, uptime.getInt("months[1].weeklyDowntimeInclPlannedSeconds"));

        // The SQL agrees with the domain's definition.
        Interval month = new Interval(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z"));
        Interval api = interval("2026-02-10T00:00:00Z", "2026-02-10T00:05:00Z");
        double domain = DowntimeIntervals.fleetUptime(
                List.of(
                        List.of(
                                interval("2026-02-02T10:00:00Z", "2026-02-02T10:10:00Z"),
                                interval("2026-02-02T10:05:00Z", "2026-02-02T10:15:00Z"),
                                api),
                        List.of(api),
                        List.of(api)),
                month);
        assertEquals(domain, uptime.getDouble("months[1].uptime"), 1e-7);
    }

    @Test
    void shouldExportTheTalksTableAsCsv() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/uptime?from=2026-02-01&to=2026-03-01&format=csv")
                .then()
                .statusCode(200)
                .body(containsString("month,uptime,weekly_unplanned_downtime_seconds,uptime_incl_planned_maintenance,"
                        + "weekly_downtime_incl_planned_maintenance_seconds,members"))
                .body(containsString("2026-02,99.9751%,150,99.9503%,300,3"));
    }

    private static Interval interval(String start, String end) {
        return new Interval(Instant.parse(start), Instant.parse(end));
    }
}
