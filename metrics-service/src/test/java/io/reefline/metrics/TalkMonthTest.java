package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.incident;
import static io.reefline.metrics.TestEvents.post;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/** The talk's December: 550 commits, two of them linked to SEV-1 incidents reported on the 9th and 10th. */
@QuarkusTest
class TalkMonthTest {

    @Inject
    EntityManager em;

    @Test
    void shouldReadTwoOf550CommitsAsPointThirtySixPercent() {
        TestEvents.clear(em);
        StringJoiner commits = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 550; i++) {
            commits.add(TestEvents.commit(
                    String.format("%040x", i + 1), String.format("2025-12-%02dT10:00:00Z", 1 + i % 31)));
        }
        post("commits", commits.toString()).statusCode(200).body("stored", equalTo(550));
        post(
                        "incidents",
                        "["
                                + incident(
                                        "pipeline-selector",
                                        "SEV-1",
                                        "2025-12-09T09:00:00Z",
                                        "\"causingCommits\":[\"" + String.format("%040x", 17) + "\"],")
                                + ","
                                + incident(
                                        "runbook-task-view",
                                        "SEV-1",
                                        "2025-12-10T09:00:00Z",
                                        "\"causingCommits\":[\"" + String.format("%040x", 42) + "\"],")
                                + ","
                                + incident("minor", "SEV-3", "2025-12-11T09:00:00Z", "")
                                + "]")
                .statusCode(200);

        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/defects?month=2025-12")
                .then()
                .statusCode(200)
                .body("commits", equalTo(550))
                .body("escapedCommits", equalTo(2))
                .body("escapeRatePercent", equalTo("0.36%"))
                .body("summary", equalTo("2 of 550 commits (0.36%)"))
                .body("defects", hasSize(2))
                .body("defects[0].reportedOn", equalTo("2025-12-09"))
                .body("defects[1].reportedOn", equalTo("2025-12-10"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/dora?from=2025-12-01&to=2026-01-01&groupBy=month")
                .then()
                .statusCode(200)
                .body("total.metrics.highSeverityDefectEscapeRate.display", equalTo("2 of 550 commits (0.36%)"))
                .body("total.metrics.highSeverityDefectEscapeRate.meetsGoal", equalTo(true));
    }
}
