package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.commit;
import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.release;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.metrics.jobs.CurrentMetricsGauges;
import io.reefline.testing.TestTokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard and the Prometheus gauges over one recent release: lead time 2 days. */
@QuarkusTest
class MetricsPageTest {

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    CurrentMetricsGauges gauges;

    @BeforeEach
    void oneRelease() {
        TestEvents.clear(em);
        Instant deployed = clock.instant().minus(1, ChronoUnit.HOURS);
        post("commits", commit("feed001", deployed.minus(2, ChronoUnit.DAYS).toString()))
                .statusCode(200);
        post("releases", release("9.9.9", deployed.minus(1, ChronoUnit.DAYS).toString(), "feed001"))
                .statusCode(200);
        post("deployments", deployment("inst-p", "9.9.9", "canary", deployed.toString(), true))
                .statusCode(200);
    }

    @Test
    void shouldDrawTheChartsWithTheirValuesForAViewer() {
        given().cookie("reefline_token", TestTokens.viewer())
                .accept("text/html")
                .get("/ui/metrics")
                .then()
                .statusCode(200)
                .body(containsString("<svg id=\"lead-time-chart\""))
                .body(containsString("<svg id=\"mttr-chart\""))
                .body(containsString("<svg id=\"escape-rate-chart\""))
                .body(containsString("<svg id=\"uptime-chart\""))
                .body(containsString("2.0 d"))
                .body(containsString("goal 1.0 d"))
                .body(containsString("2 d 0 h"))
                .body(containsString("class=\"active\" aria-current=\"page\""));
    }

    @Test
    void shouldSendAPersonWithoutTokenToSignIn() {
        given().redirects()
                .follow(false)
                .accept("text/html")
                .get("/ui/metrics")
                .then()
                .statusCode(303);
    }

    @Test
    void shouldPublishTheCurrentValuesAsGauges() {
        gauges.refresh();
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("reefline_lead_time_seconds{statistic=\"median\"} 172800.0"))
                .body(containsString("reefline_deployments_per_day{statistic=\"perDay\"}"))
                .body(containsString("reefline_uptime_ratio{statistic=\"ratio\"} 1.0"));
    }
}
