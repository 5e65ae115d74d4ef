package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /api/cords} with an {@code Idempotency-Key}: a repeated delivery never opens a second cord. */
@QuarkusTest
class IdempotentPullTest {

    private static final String BODY = """
            {"reason":"Deployments to reef-eu-1 time out","category":"cant-deploy","scope":"reef:reef-eu-1"}
            """;

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    @Test
    void shouldAnswerStoredCordWhenSameKeyIsPulledTwice() {
        registerWebhook();
        String key = UUID.randomUUID().toString();
        ExtractableResponse<Response> first =
                pull(key, BODY).then().statusCode(201).extract();
        long id = first.jsonPath().getLong("id");

        ExtractableResponse<Response> second = pull(key, BODY)
                .then()
                .statusCode(200)
                .contentType(ContentType.JSON)
                .body("id", equalTo((int) id))
                .body("state", equalTo("open"))
                .body("history", hasSize(1))
                .extract();
        assertEquals(first.header("ETag"), second.header("ETag"), "ETag");
        // The same body and ETag as a GET of the cord.
        ExtractableResponse<Response> read = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords/" + id)
                .then()
                .statusCode(200)
                .header("ETag", equalTo(second.header("ETag")))
                .extract();
        assertEquals(read.jsonPath().getMap(""), second.jsonPath().getMap(""), "body");

        assertCordCount(1);
        assertRecordedOnePull();
    }

    @Test
    void shouldAnswerStoredCordWhenSameKeyComesWithAnotherBody() {
        String key = UUID.randomUUID().toString();
        long id = pull(key, BODY).then().statusCode(201).extract().jsonPath().getLong("id");

        pull(key, """
                        {"reason":"Something else entirely","category":"other","scope":"global","severity":"SEV-0"}
                        """)
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("reason", equalTo("Deployments to reef-eu-1 time out"))
                .body("scope", equalTo("reef:reef-eu-1"));

        assertCordCount(1);
        assertRecordedOnePull();
    }

    @Test
    void shouldAnswerCordAsItIsNowWithoutChangingItWhenKeyIsRepeatedAfterResolve() {
        String key = UUID.randomUUID().toString();
        long id = pull(key, BODY).then().statusCode(201).extract().jsonPath().getLong("id");
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"Rolled back\"}")
                .when()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/resolve")
                .then()
                .statusCode(200);

        pull(key, BODY)
                .then()
                .statusCode(200)
                .body("id", equalTo((int) id))
                .body("state", equalTo("resolved"))
                .body("history.action", equalTo(List.of("pull", "resolve")));
        assertCordCount(1);
    }

    @Test
    void shouldOpenTwoCordsForTwoPullsWithoutKey() {
        long first =
                pull(null, BODY).then().statusCode(201).extract().jsonPath().getLong("id");
        long second =
                pull(null, BODY).then().statusCode(201).extract().jsonPath().getLong("id");

        assertTrue(first != second, "two cords");
        assertCordCount(2);
    }

    @Test
    void shouldOpenTwoCordsForTwoDifferentKeys() {
        pull(UUID.randomUUID().toString(), BODY).then().statusCode(201);
        pull(UUID.randomUUID().toString(), BODY).then().statusCode(201);

        assertCordCount(2);
    }

    @Test
    void shouldRejectOverlongKeyWithProblemAndStoreNothing() {
        pull("k".repeat(101), BODY)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", hasItem("Idempotency-Key"));

        assertCordCount(0);
        assertNothingStored();
    }

    @Test
    void shouldRejectBlankKeyWithProblemAndStoreNothing() {
        pull("   ", BODY)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("Idempotency-Key"));

        assertNothingStored();
    }

    @Test
    void shouldAcceptKeyOfExactlyMaximumLength() {
        String key = "k".repeat(100);
        pull(key, BODY).then().statusCode(201);
        pull(key, BODY).then().statusCode(200);

        assertCordCount(1);
    }

    @Test
    void shouldRejectInvalidBodyEvenWhenKeyIsKnown() {
        String key = UUID.randomUUID().toString();
        pull(key, BODY).then().statusCode(201);

        pull(key, "{\"category\":\"other\",\"scope\":\"global\"}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("reason"))
                .body("violations.field", not(hasItem("Idempotency-Key")));
        assertCordCount(1);
    }

    /** Eight deliveries of one outbox event at once: the unique index lets one open the cord, the others answer it. */
    @Test
    void shouldOpenExactlyOneCordWhenEightPullsWithOneKeyRace() throws Exception {
        String key = UUID.randomUUID().toString();
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<int[]> answers;
        try {
            List<Future<int[]>> pulls = IntStream.range(0, threads)
                    .mapToObj(i -> pool.submit(() -> {
                        start.await();
                        ExtractableResponse<Response> answer =
                                pull(key, BODY).then().extract();
                        int status = answer.statusCode();
                        return new int[] {
                            status, status < 300 ? answer.jsonPath().getInt("id") : -1
                        };
                    }))
                    .toList();
            start.countDown();
            answers = pulls.stream().map(IdempotentPullTest::await).toList();
        } finally {
            pool.shutdownNow();
        }

        List<Integer> statuses = answers.stream().map(a -> a[0]).sorted().toList();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one 201 among " + statuses);
        assertEquals(threads - 1, statuses.stream().filter(s -> s == 200).count(), "200s among " + statuses);
        Set<Integer> ids = answers.stream().map(a -> a[1]).collect(Collectors.toSet());
        assertEquals(1, ids.size(), "one cord id: " + ids);
        assertCordCount(1);
        assertRecordedOnePull();
    }

    private static Response pull(String key, String body) {
        var request = given().auth().oauth2(TestTokens.viewer()).contentType(ContentType.JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(body).when().post("/api/cords");
    }

    private static int[] await(Future<int[]> answer) {
        try {
            return answer.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Counts the cords as a client does: through the list and its counts. */
    private static void assertCordCount(int expected) {
        ExtractableResponse<Response> list = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?size=200")
                .then()
                .statusCode(200)
                .body("items", hasSize(expected))
                .extract();
        int counted = list.jsonPath().getMap("counts", String.class, Integer.class).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        assertEquals(expected, counted, "counts");
    }

    /** A webhook nobody answers: every pull leaves one delivery row behind. */
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

    /** One pull's worth of rows: one transition and one incident event, however often the key came. */
    private static void assertRecordedOnePull() {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(1, CordEntity.count(), "cords");
            assertEquals(1, CordTransitionEntity.count(), "transitions");
            assertEquals(1, OutboxMessage.count(), "outbox messages");
            assertEquals(WebhookEntity.count(), WebhookDeliveryEntity.count(), "webhook deliveries");
        });
    }

    private static void assertNothingStored() {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, CordTransitionEntity.count(), "transitions");
            assertEquals(0, OutboxMessage.count(), "outbox messages");
        });
    }
}
