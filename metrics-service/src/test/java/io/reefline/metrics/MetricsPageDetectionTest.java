package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.incident;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.release;
import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.metrics.jobs.CurrentMetricsGauges;
import io.reefline.testing.TestTokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard once canary analysis pulls the cord: time to detect falls month by month, per ring, and the rework rate
 * and failed deployment recovery time are headlines with a chart and gauges.
 */
@QuarkusTest
class MetricsPageDetectionTest {

    private static final Pattern DETECT_POINT =
            Pattern.compile("<title>time to detect (\\w+): ([0-9.]+) (h|min)</title>");

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    CurrentMetricsGauges gauges;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldShowTimeToDetectFallingAsAnalysisPullsTheCord() {
        // Five past months, one canary incident each, detected ever sooner after the impact started: 5 d, 2 d, 12 h,
        // 1 h, 10 min (the last ones pulled by analysis).
        List<Duration> toDetect = List.of(
                Duration.ofDays(5),
                Duration.ofDays(2),
                Duration.ofHours(12),
                Duration.ofHours(1),
                Duration.ofMinutes(10));
        YearMonth now = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        List<String> months = new ArrayList<>();
        StringBuilder incidents = new StringBuilder("[");
        for (int i = 0; i < toDetect.size(); i++) {
            YearMonth month = now.minusMonths(toDetect.size() - i);
            months.add(month.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
            Instant detected = month.atDay(15).atTime(12, 0).toInstant(ZoneOffset.UTC);
            incidents
                    .append(i == 0 ? "" : ",")
                    .append(incident(
                            "analysis-" + i,
                            "SEV-2",
                            detected.toString(),
                            "\"impactStartedAt\":\"" + detected.minus(toDetect.get(i)) + "\",\"ring\":\"canary\","
                                    + "\"resolvedAt\":\"" + detected.plus(Duration.ofMinutes(30)) + "\","));
        }
        post("incidents", incidents.append("]").toString()).statusCode(200);

        String html = given().cookie("reefline_token", TestTokens.viewer())
                .accept("text/html")
                .get("/ui/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();

        String chart = html.substring(html.indexOf("<svg id=\"mttr-chart\""));
        chart = chart.substring(0, chart.indexOf("</svg>"));
        List<String> pointMonths = new ArrayList<>();
        List<Double> hours = new ArrayList<>();
        Matcher point = DETECT_POINT.matcher(chart);
        while (point.find()) {
            pointMonths.add(point.group(1));
            double value = Double.parseDouble(point.group(2));
            hours.add(point.group(3).equals("h") ? value : value / 60);
        }
        assertEquals(months, pointMonths, "one time-to-detect point per month with an incident, in order");
        assertEquals(List.of(120.0, 48.0, 12.0, 1.0, 10 / 60.0), hours);
        for (int i = 1; i < hours.size(); i++) {
            assertTrue(hours.get(i) < hours.get(i - 1), "time to detect falls month by month: " + hours);
        }
        assertThat(chart, containsString("<title>time to detect " + months.get(4) + ": 10 min</title>"));
        // Per ring: the five canary detections, median 12 h.
        String flat = html.replaceAll(">\\s+<", "><");
        assertThat(flat, containsString("<tr id=\"ring-canary\"><td>canary</td><td>5</td><td>12 h 0 min</td>"));
        // The headline names DORA's current metric: 5 d 30 min, 2 d 30 min, 12 h 30 min, 1 h 30 min, 40 min.
        assertThat(
                flat,
                containsString("<tr id=\"failed-deployment-recovery-time\"><td>Failed deployment recovery time</td>"
                        + "<td><strong>12 h 30 min</strong></td>"));
    }

    @Test
    void shouldShowTheReworkRateWithItsChartAndGauge() {
        Instant now = clock.instant();
        post(
                        "releases",
                        "[" + release("9.1.0", now.minus(Duration.ofDays(3)).toString()) + ","
                                + release("9.1.1", now.minus(Duration.ofDays(2)).toString())
                                        .replace("}", ",\"fixesIncident\":\"andon-7\"}")
                                + "]")
                .statusCode(200);
        post(
                        "deployments",
                        "["
                                + deployment(
                                        "inst-a",
                                        "9.1.0",
                                        "canary",
                                        now.minus(Duration.ofHours(30)).toString(),
                                        true)
                                + ","
                                + deployment(
                                        "inst-b",
                                        "9.1.0",
                                        "stable",
                                        now.minus(Duration.ofHours(29)).toString(),
                                        true)
                                + ","
                                + deployment(
                                        "inst-c",
                                        "9.1.0",
                                        "stable",
                                        now.minus(Duration.ofHours(28)).toString(),
                                        true)
                                + ","
                                + deployment(
                                        "inst-a",
                                        "9.1.1",
                                        "canary",
                                        now.minus(Duration.ofHours(2)).toString(),
                                        true)
                                + "]")
                .statusCode(200);
        // Impact 10 min before detection, fixed 30 min after: recovery 40 min.
        Instant detected = now.minus(Duration.ofHours(3));
        post(
                        "incidents",
                        incident(
                                "andon-7",
                                "SEV-2",
                                detected.toString(),
                                "\"impactStartedAt\":\"" + detected.minus(Duration.ofMinutes(10))
                                        + "\",\"ring\":\"canary\"," + "\"resolvedAt\":\""
                                        + detected.plus(Duration.ofMinutes(30)) + "\","))
                .statusCode(200);

        String flat = given().cookie("reefline_token", TestTokens.viewer())
                .accept("text/html")
                .get("/ui/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString()
                .replaceAll(">\\s+<", "><");
        assertThat(
                flat,
                containsString("<tr id=\"rework-rate\"><td>Deployment rework rate</td>"
                        + "<td><strong>1 of 4 deployments (25.00%)</strong></td>"));
        assertThat(flat, containsString("<svg id=\"rework-rate-chart\""));
        assertThat(flat, containsString("25.00%</title></rect>"));

        gauges.refresh();
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("reefline_deployment_rework_ratio{statistic=\"ratio\"} 0.25"))
                .body(containsString("reefline_failed_deployment_recovery_seconds{statistic=\"median\"} 2400.0"))
                .body(containsString("reefline_time_to_detect_seconds{statistic=\"median\"} 600.0"));
    }
}
