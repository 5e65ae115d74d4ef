package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/cords/forwarded}: a pull a reef's cell took (maybe while the hub was down) reaches the hub with who
 * pulled, in which reef and when, and opens exactly one cord however often the cell resends it.
 */
@QuarkusTest
class ForwardedPullTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PULL = """
            {"reason":"Instance acme-prod unhealthy after 2026.11.3","category":"doesnt-look-right",\
            "severity":"SEV-1","scope":"release:2026.11.3"}""";

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    @Test
    void shouldRecordPullerReefAndCellTimeAndOpenOneCordHoweverOftenTheCellResends() throws Exception {
        registerWebhook();
        Instant pulledAt = Instant.now().minus(17, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        String key = "reef-b:" + UUID.randomUUID();
        String body = forwarded("sidecar-acme-prod", "reef-b", pulledAt.toString(), PULL);

        var created = forward(key, body)
                .then()
                .statusCode(201)
                .body("state", equalTo("open"))
                .body("pulledBy", equalTo("sidecar-acme-prod"))
                .body("pulledInReef", equalTo("reef-b"))
                .body("pulledAt", equalTo(pulledAt.toString()))
                .body("severity", equalTo("SEV-1"))
                .body("suspectedRelease", equalTo("2026.11.3"))
                .body("history[0].actor", equalTo("sidecar-acme-prod"))
                .body("history[0].at", equalTo(pulledAt.toString()))
                .extract();
        long id = created.jsonPath().getLong("id");
        assertEquals(
                "/api/cords/" + id,
                java.net.URI.create(created.header("Location")).getPath(),
                "Location");
        for (int i = 0; i < 3; i++) {
            forward(key, body).then().statusCode(200).body("id", equalTo((int) id));
        }

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/gate?release=2026.11.3&reef=reef-a")
                .then()
                .statusCode(423);
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(1, CordEntity.count(), "cords");
            assertEquals(1, CordTransitionEntity.count(), "transitions");
            assertEquals(1, OutboxMessage.count(), "incident events");
            assertEquals(1, WebhookDeliveryEntity.count(), "webhook deliveries");
        });
        String payload = QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage.<OutboxMessage>findAll().firstResult().payload);
        JsonNode incident = JSON.readTree(payload);
        assertEquals(pulledAt, Instant.parse(incident.get("detectedAt").asText()), "time to detect starts at the cell");
    }

    /** A cell's resends racing each other (an answer lost in a timeout, a restart): one cord, one of everything. */
    @Test
    void shouldOpenOneCordWhenResendsOfOneForwardRace() throws Exception {
        String key = "reef-b:" + UUID.randomUUID();
        String body = forwarded("vera.viewer", "reef-b", Instant.now().toString(), PULL);
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return forward(key, body).then().extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one 201 among " + statuses);
            assertEquals(threads - 1, statuses.stream().filter(s -> s == 200).count(), "200s among " + statuses);
        } finally {
            pool.shutdownNow();
        }
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(1, CordEntity.count(), "cords");
            assertEquals(1, CordTransitionEntity.count(), "transitions");
            assertEquals(1, OutboxMessage.count(), "incident events");
        });
    }

    @Test
    void shouldLeaveDirectPullsWithoutReef() {
        long id = TestData.pull("Broken at the hub");

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords/" + id)
                .then()
                .statusCode(200)
                .body("pulledBy", equalTo("vera.viewer"))
                .body("pulledInReef", nullValue());
    }

    @Test
    void shouldRequireTheCellRole() {
        String body = forwarded("someone", "reef-b", Instant.now().toString(), PULL);
        // Not even the hub's own services, nor a CI job: only a cell speaks for who pulled in its reef.
        for (String token : new String[] {
            TestTokens.viewer(), TestTokens.operator(), TestTokens.admin(), TestTokens.service(), TestTokens.publisher()
        }) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", "reef-b:" + UUID.randomUUID())
                    .body(body)
                    .when()
                    .post("/api/cords/forwarded")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "reef-b:" + UUID.randomUUID())
                .body(body)
                .when()
                .post("/api/cords/forwarded")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        QuarkusTransaction.requiringNew().run(() -> assertEquals(0, CordEntity.count(), "cords"));
    }

    @Test
    void shouldRefuseACellForwardingPullsOfAnotherReefAndStoreNothing() {
        String now = Instant.now().toString();
        String reefA = TestTokens.cell("reef-a");
        // The cell of reef-a claims a pull in reef-b.
        forward(reefA, "reef-a:" + UUID.randomUUID(), forwarded("someone", "reef-b", now, PULL))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("The cell of reef 'reef-a'"))
                .body("detail", containsString("not for reef 'reef-b'"));
        // Its own reef, under another reef's key (which would answer that reef's cord), or a key without a reef.
        forward(reefA, key(), forwarded("someone", "reef-a", now, PULL))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("not for reef 'reef-b'"));
        forward(reefA, UUID.randomUUID().toString(), forwarded("someone", "reef-a", now, PULL))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        // A cell's token that names no reef may forward nothing.
        forward(TestTokens.cellWithoutReef(), key(), forwarded("someone", "reef-b", now, PULL))
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("must name its reef in the reefline_reef claim"));
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, OutboxMessage.count(), "incident events");
        });

        // reef-b's cord, opened by its own cell, is not answered to reef-a's cell resending its key.
        String keyOfB = key();
        forward(keyOfB, forwarded("someone", "reef-b", now, PULL)).then().statusCode(201);
        forward(reefA, keyOfB, forwarded("someone", "reef-a", now, PULL))
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        QuarkusTransaction.requiringNew().run(() -> assertEquals(1, CordEntity.count(), "cords"));
    }

    @Test
    void shouldRejectBadForwardsWithProblemAndStoreNothing() {
        String now = Instant.now().toString();
        assertRejected(null, forwarded("someone", "reef-b", now, PULL), "Idempotency-Key");
        assertRejected("k".repeat(101), forwarded("someone", "reef-b", now, PULL), "Idempotency-Key");
        assertRejected(key(), forwarded("", "reef-b", now, PULL), "pulledBy");
        assertRejected(key(), forwarded("someone", "reef b", now, PULL), "reef");
        assertRejected(key(), forwarded("someone", "reef-b", "2026-03-02T09:00:00+01:00", PULL), "pulledAt");
        assertRejected(key(), forwarded("someone", "reef-b", "2026-13-02T09:00:00Z", PULL), "pulledAt");
        assertRejected(
                key(),
                "{\"pulledBy\":\"someone\",\"reef\":\"reef-b\",\"pulledAt\":1767225600,\"pull\":" + PULL + "}",
                "pulledAt");
        assertRejected(
                key(),
                forwarded(
                        "someone",
                        "reef-b",
                        Instant.now().plus(1, ChronoUnit.HOURS).toString(),
                        PULL),
                "pulledAt");
        assertRejected(key(), "{\"pulledBy\":\"someone\",\"reef\":\"reef-b\",\"pulledAt\":\"" + now + "\"}", "pull");
        assertRejected(
                key(),
                forwarded("someone", "reef-b", now, "{\"category\":\"nope\",\"scope\":\"everywhere\"}"),
                "pull.reason");
        assertRejected(
                key(),
                forwarded("someone", "reef-b", now, "{\"reason\":\"x\",\"category\":\"nope\",\"scope\":\"global\"}"),
                "pull.category");
        given().auth()
                .oauth2(TestTokens.cell("reef-b"))
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", key())
                .body("{\"pulledBy\":")
                .when()
                .post("/api/cords/forwarded")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, OutboxMessage.count(), "incident events");
        });
    }

    private static void assertRejected(String key, String body, String field) {
        forward(key, body)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", hasItem(field));
    }

    private static String key() {
        return "reef-b:" + UUID.randomUUID();
    }

    private static String forwarded(String pulledBy, String reef, String pulledAt, String pull) {
        return "{\"pulledBy\":\"" + pulledBy + "\",\"reef\":\"" + reef + "\",\"pulledAt\":\"" + pulledAt
                + "\",\"pull\":" + pull + "}";
    }

    /** Forwarded by reef-b's cell, the reef the tests' pulls are taken in. */
    private static Response forward(String key, String body) {
        return forward(TestTokens.cell("reef-b"), key, body);
    }

    private static Response forward(String token, String key, String body) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(body).when().post("/api/cords/forwarded");
    }

    private static void registerWebhook() {
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"http://127.0.0.1:9/andon\"}")
                .when()
                .post("/api/webhooks")
                .then()
                .statusCode(201);
    }
}
