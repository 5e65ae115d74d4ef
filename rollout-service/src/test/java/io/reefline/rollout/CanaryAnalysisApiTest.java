package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.domain.analysis.Metric;
import io.reefline.rollout.domain.analysis.MetricResult;
import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.StatTest;
import io.reefline.rollout.domain.analysis.Summary;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.upgrade.JpaCanaryAnalyses;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.reconcile.UpgradeEvents;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.FencedOut;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Signals in and verdicts out, in PostgreSQL: cells report their instances' windows (their own reef only, once per
 * window, validated field by field), and a verdict is stored with its evidence and its cord in one fenced transaction,
 * then shown by the API, the board and the instance page.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class CanaryAnalysisApiTest {

    @Inject
    JpaCanaryAnalyses analyses;

    @Inject
    UpgradeLeadership leadership;

    @Inject
    EntityManager db;

    private static String window(String instance, String from, String extra) {
        return "{\"instanceId\":\"" + instance + "\",\"version\":\"2026.3.1\",\"from\":\"" + from
                + "\",\"to\":\"" + Instant.parse(from).plusSeconds(15) + "\",\"requests\":400,\"errors\":4,"
                + "\"latencyMs\":81.5,\"healthChecks\":2,\"healthFailures\":0,\"restarts\":0" + extra + "}";
    }

    private long stored(String instance) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number)
                                db.createNativeQuery("select count(*) from instance_signal where instance_id = ?1")
                                        .setParameter(1, instance)
                                        .getSingleResult())
                        .longValue());
    }

    @Test
    void aCellReportsItsInstancesWindowsOnceEach() {
        String body = window("sig-a", "2026-03-02T08:00:00Z", "");
        given().auth()
                .oauth2(TestTokens.cell("local"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/signals")
                .then()
                .statusCode(202)
                .body("stored", equalTo(true));
        given().auth()
                .oauth2(TestTokens.cell("local"))
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/signals")
                .then()
                .statusCode(200)
                .body("stored", equalTo(false));
        assertEquals(1, stored("sig-a"), "a window resent after a lost answer is stored once");

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/signals?instance=sig-a")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].reef", equalTo("local"))
                .body("items[0].errors", equalTo(4))
                .body("items[0].latencyMs", equalTo(81.5f));
    }

    @Test
    void aCellMayNotReportForAnotherReefAndAPersonMayNotReportAtAll() {
        given().auth()
                .oauth2(TestTokens.cell("local"))
                .contentType(ContentType.JSON)
                .body(window("sig-b", "2026-03-02T08:00:00Z", ",\"reef\":\"reef-elsewhere\""))
                .when()
                .post("/api/signals")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(window("sig-b", "2026-03-02T08:00:00Z", ""))
                .when()
                .post("/api/signals")
                .then()
                .statusCode(403);
        assertEquals(0, stored("sig-b"));
    }

    @Test
    void aBadWindowIsRefusedNamingEachFieldAndNothingIsStored() {
        String bad = "{\"instanceId\":\"sig-c\",\"from\":\"2026-03-02T08:00:15Z\",\"to\":\"2026-03-02T08:00:00Z\","
                + "\"requests\":10,\"errors\":11,\"latencyMs\":-1,\"healthChecks\":1,\"healthFailures\":2,"
                + "\"restarts\":-1}";
        given().auth()
                .oauth2(TestTokens.cell("local"))
                .contentType(ContentType.JSON)
                .body(bad)
                .when()
                .post("/api/signals")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "violations.field",
                        hasItems("version", "to", "errors", "latencyMs", "healthFailures", "restarts"));
        given().auth()
                .oauth2(TestTokens.cell("local"))
                .contentType(ContentType.JSON)
                .body(window("sig-c", "2026-03-02T08:00:00Z", "").replace("\"requests\":400", "\"requests\":\"400\""))
                .when()
                .post("/api/signals")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        assertEquals(0, stored("sig-c"));
    }

    @Test
    void aVerdictIsStoredWithItsCordInTheLeadersTermOnlyAndShownWithItsEvidence() {
        String version = "2026.3.77";
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"image\":\"registry.reefline.local/product:" + version
                        + "\",\"commits\":[\"a1b2c3d\"]}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
        Instant now = Instant.parse("2026-03-02T08:10:00Z");
        Verdict verdict = new Verdict(
                Outcome.FAIL,
                now.minusSeconds(300),
                now,
                List.of(new MetricResult(
                        Metric.ERROR_RATE,
                        StatTest.MANN_WHITNEY,
                        Outcome.FAIL,
                        new Summary(60, 6, 0.081, 0.08, 0.1),
                        new Summary(600, 60, 0.005, 0.005, 0.008),
                        35100.0,
                        7.25,
                        2.1e-13,
                        null,
                        "canary 8.1% against control 0.5%")),
                List.of("i-0001", "i-0002"),
                60,
                "FAIL: error-rate canary 8.1% vs control 0.5% (p=2.1e-13 < 0.001)");
        var cord = new io.reefline.rollout.upgrade.reconcile.OutgoingEvent(
                UpgradeEvents.analysisCordId(version, "Canary"), UpgradeEvents.ANDON, "/api/cords", "{}");
        long term = leadership.acquire().orElseThrow();
        try {
            assertThrows(
                    FencedOut.class,
                    () -> analyses.record(version, "Canary", verdict, false, "x", List.of(cord), now, term - 1));
            assertTrue(analyses.latest(version, "Canary").isEmpty(), "nothing stored under an ended term");

            analyses.record(version, "Canary", verdict, false, "pulled the cord", List.of(cord), now, term);
        } finally {
            leadership.release();
        }
        assertEquals(
                Outcome.FAIL, analyses.latest(version, "Canary").orElseThrow().outcome());
        UUID cordId = UpgradeEvents.analysisCordId(version, "Canary");
        assertEquals(
                1L,
                QuarkusTransaction.requiringNew().call(() -> OutboxMessage.count("id", cordId)),
                "the cord is in the outbox with the verdict");

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/" + version + "/analysis")
                .then()
                .statusCode(200)
                .body("latest[0].ring", equalTo("Canary"))
                .body("latest[0].outcome", equalTo("FAIL"))
                .body("latest[0].evidence.metrics[0].metric", equalTo("ERROR_RATE"))
                .body("latest[0].evidence.metrics[0].canary.samples", equalTo(60))
                .body("history.size()", equalTo(1));
        given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .body(containsString("analysis FAIL"))
                .body(containsString("data-metric=\"error-rate\""))
                .body(containsString("canary 8.1% against control 0.5%"));
    }
}
