package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cord pulled by canary analysis says when the impact started, when the problem was detected, which ring detected
 * it and why: stored, returned, and sent to metrics-service, so time to detect is measured.
 */
@QuarkusTest
class CordDetectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVIDENCE = """
            {"verdict":"FAIL","summary":"error-rate: canary 8.1% vs control 0.4%",\
            "metrics":[{"metric":"error-rate","outcome":"FAIL","canary":{"samples":24,"median":0.081},\
            "pValue":0.00002},{"metric":"latency","outcome":"PASS","pValue":0.41}],\
            "canaryInstances":["i-0001","i-0002"],"controlInstances":12}""";

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    @Test
    void shouldStoreReturnAndSendTheDetectionOfAnAutomaticPull() throws Exception {
        Instant impact = Instant.now().minus(20, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant detected = impact.plus(6, ChronoUnit.MINUTES);
        long id = pull(body("\"impactStartedAt\":\"" + impact + "\",\"detectedAt\":\"" + detected
                        + "\",\"ring\":\"canary\",\"evidence\":" + EVIDENCE))
                .then()
                .statusCode(201)
                .body("impactStartedAt", equalTo(impact.toString()))
                .body("detectedAt", equalTo(detected.toString()))
                .body("ring", equalTo("canary"))
                .body("evidence.verdict", equalTo("FAIL"))
                .body("evidence.metrics[0].canary.samples", equalTo(24))
                .extract()
                .jsonPath()
                .getLong("id");

        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/cords/" + id)
                .then()
                .statusCode(200)
                .body("impactStartedAt", equalTo(impact.toString()))
                .body("detectedAt", equalTo(detected.toString()))
                .body("ring", equalTo("canary"))
                .body("evidence.metrics[1].metric", equalTo("latency"))
                .body("evidence.controlInstances", equalTo(12));
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/cords?state=open")
                .then()
                .body("items[0].ring", equalTo("canary"))
                .body("items[0].evidence.summary", equalTo("error-rate: canary 8.1% vs control 0.4%"));
        // The fields keep the order analysis sent them in (the page lists them so).
        String stored = QuarkusTransaction.requiringNew().call(() -> CordEntity.<CordEntity>findById(id).evidence);
        assertEquals(JSON.readTree(EVIDENCE).toString(), stored);

        JsonNode incident = onlyIncidentEvent();
        assertEquals(impact, Instant.parse(incident.get("impactStartedAt").asText()), "impactStartedAt");
        assertEquals(detected, Instant.parse(incident.get("detectedAt").asText()), "detectedAt is the detection");
        assertEquals("canary", incident.get("ring").asText());
    }

    @Test
    void shouldDetectAtThePullTimeWhenThePullSaysNothing() throws Exception {
        var created = pull(body(""))
                .then()
                .statusCode(201)
                .body("impactStartedAt", nullValue())
                .body("ring", nullValue())
                .body("evidence", nullValue())
                .extract()
                .jsonPath();
        assertEquals(created.getString("pulledAt"), created.getString("detectedAt"));
        JsonNode incident = onlyIncidentEvent();
        assertEquals(
                Instant.parse(created.getString("pulledAt")),
                Instant.parse(incident.get("detectedAt").asText()));
        assertFalse(incident.has("impactStartedAt"), "no impact start is sent when none is known");
        assertFalse(incident.has("ring"), "no ring is sent when none is known");
    }

    @Test
    void shouldTakeADetectionSlightlyAheadOfTheHubsClockAsThePullTime() {
        Instant ahead = Instant.now().plus(30, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS);
        var created = pull(body("\"detectedAt\":\"" + ahead + "\""))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        assertEquals(created.getString("pulledAt"), created.getString("detectedAt"));
    }

    static Stream<Arguments> invalidDetections() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String big = "{\"blob\":\"" + "x".repeat(16 * 1024) + "\"}";
        return Stream.of(
                Arguments.of("\"detectedAt\":\"" + now.plus(5, ChronoUnit.MINUTES) + "\"", "detectedAt"),
                Arguments.of("\"detectedAt\":\"yesterday\"", "detectedAt"),
                Arguments.of("\"detectedAt\":\"2026-12-02T20:07:00+01:00\"", "detectedAt"),
                Arguments.of("\"impactStartedAt\":\"" + now.plus(5, ChronoUnit.MINUTES) + "\"", "impactStartedAt"),
                Arguments.of(
                        "\"impactStartedAt\":\"" + now.minus(1, ChronoUnit.MINUTES) + "\",\"detectedAt\":\""
                                + now.minus(2, ChronoUnit.MINUTES) + "\"",
                        "impactStartedAt"),
                Arguments.of("\"impactStartedAt\":\"2026-13-40T00:00:00Z\"", "impactStartedAt"),
                Arguments.of("\"ring\":\"Canary!\"", "ring"),
                Arguments.of("\"ring\":\"" + "r".repeat(41) + "\"", "ring"),
                Arguments.of("\"evidence\":[1,2]", "evidence"),
                Arguments.of("\"evidence\":\"it failed\"", "evidence"),
                Arguments.of("\"evidence\":" + big, "evidence"));
    }

    @ParameterizedTest
    @MethodSource("invalidDetections")
    void shouldRejectAnInvalidDetectionNamingTheFieldAndStoreNothing(String fields, String field) {
        pull(body(fields))
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field));
        assertNothingStored();
    }

    @Test
    void shouldAcceptEvidenceOfExactlyTheLimit() {
        // {"blob":"..."} is 11 characters around the blob.
        String exact = "{\"blob\":\"" + "x".repeat(16 * 1024 - 11) + "\"}";
        pull(body("\"evidence\":" + exact)).then().statusCode(201);
    }

    @Test
    void shouldAnswerTheFirstDetectionToARepeatedKey() {
        Instant detected = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String key = "analysis-" + UUID.randomUUID();
        long id = keyed(key, body("\"detectedAt\":\"" + detected + "\",\"ring\":\"canary\""))
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
        keyed(key, body("\"detectedAt\":\"" + detected.minus(1, ChronoUnit.HOURS) + "\",\"ring\":\"stable\""))
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("ring", equalTo("canary"))
                .body("detectedAt", equalTo(detected.toString()));
        QuarkusTransaction.requiringNew().run(() -> assertEquals(1, OutboxMessage.count(), "incident events"));
    }

    @Test
    void shouldCarryTheDetectionOfAForwardedPull() throws Exception {
        Instant pulledAt = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Instant detected = pulledAt.minus(1, ChronoUnit.MINUTES);
        Instant impact = detected.minus(9, ChronoUnit.MINUTES);
        String pull = body("\"impactStartedAt\":\"" + impact + "\",\"detectedAt\":\"" + detected
                + "\",\"ring\":\"canary\",\"evidence\":{\"verdict\":\"FAIL\"}");
        given().auth()
                .oauth2(TestTokens.cell("reef-b"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "reef-b:" + UUID.randomUUID())
                .body("{\"pulledBy\":\"rollout-service\",\"reef\":\"reef-b\",\"pulledAt\":\"" + pulledAt
                        + "\",\"pull\":" + pull + "}")
                .post("/api/cords/forwarded")
                .then()
                .statusCode(201)
                .body("pulledAt", equalTo(pulledAt.toString()))
                .body("detectedAt", equalTo(detected.toString()))
                .body("impactStartedAt", equalTo(impact.toString()))
                .body("evidence.verdict", equalTo("FAIL"));
        assertEquals(
                detected, Instant.parse(onlyIncidentEvent().get("detectedAt").asText()));
        // A bad detection of a forwarded pull is named inside the pull.
        given().auth()
                .oauth2(TestTokens.cell("reef-b"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "reef-b:" + UUID.randomUUID())
                .body("{\"pulledBy\":\"rollout-service\",\"reef\":\"reef-b\",\"pulledAt\":\"" + pulledAt
                        + "\",\"pull\":" + body("\"evidence\":7") + "}")
                .post("/api/cords/forwarded")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("pull.evidence"))
                .body("detail", containsString("must be a JSON object"));
    }

    private static String body(String extra) {
        return "{\"reason\":\"Canary analysis failed: error-rate\",\"category\":\"doesnt-look-right\","
                + "\"severity\":\"SEV-2\",\"scope\":\"release:2026.12.1\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static Response pull(String body) {
        return given().auth()
                .oauth2(TestTokens.service())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/cords");
    }

    private static Response keyed(String key, String body) {
        return given().auth()
                .oauth2(TestTokens.service())
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key)
                .body(body)
                .post("/api/cords");
    }

    private static JsonNode onlyIncidentEvent() throws Exception {
        String payload = QuarkusTransaction.requiringNew().call(() -> {
            assertEquals(1, OutboxMessage.count(), "incident events");
            return OutboxMessage.<OutboxMessage>findAll().firstResult().payload;
        });
        return JSON.readTree(payload);
    }

    private static void assertNothingStored() {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, CordTransitionEntity.count(), "transitions");
            assertEquals(0, OutboxMessage.count(), "outbox messages");
        });
    }
}
