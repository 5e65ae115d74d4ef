package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ConcurrentCordsTest {

    private static final int CORDS = 50;

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    /** 50 people pull at once while operators resolve every other cord as soon as it exists: nothing is lost. */
    @Test
    void shouldLoseNothingUnderFiftyConcurrentPullsAndResolves() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Long>> pulls = IntStream.range(0, CORDS)
                    .mapToObj(i -> pool.submit(pullThenMaybeResolve(i, start)))
                    .toList();
            start.countDown();
            for (Future<Long> pull : pulls) {
                pull.get();
            }
        } finally {
            pool.shutdownNow();
        }

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?state=resolved&size=200")
                .then()
                .statusCode(200)
                .body("counts.open", equalTo(CORDS / 2))
                .body("counts.resolved", equalTo(CORDS / 2))
                .body("counts.closed", equalTo(0))
                .body("items.size()", equalTo(CORDS / 2));
        QuarkusTransaction.requiringNew().run(() -> {
            List<CordEntity> cords = CordEntity.listAll();
            assertEquals(CORDS, cords.size());
            Map<Long, List<String>> histories = CordTransitionEntity.<CordTransitionEntity>listAll().stream()
                    .collect(Collectors.groupingBy(
                            t -> t.cordId, Collectors.mapping(t -> t.action, Collectors.toList())));
            for (CordEntity cord : cords) {
                int index = Integer.parseInt(cord.reason.substring("Concurrent pull ".length()));
                List<String> expected = index % 2 == 0 ? List.of("pull", "resolve") : List.of("pull");
                assertEquals(expected, histories.get(cord.id), "history of " + cord.reason);
                assertEquals(index % 2 == 0 ? "RESOLVED" : "OPEN", cord.state.name(), cord.reason);
                assertEquals(index % 2 == 0 ? "Resolution " + index : null, cord.resolution, cord.reason);
            }
            assertEquals(CORDS + CORDS / 2, CordTransitionEntity.count(), "transitions");
            assertEquals(CORDS + CORDS / 2, OutboxMessage.count(), "incident snapshots");
        });
    }

    private static Callable<Long> pullThenMaybeResolve(int index, CountDownLatch start) {
        return () -> {
            start.await();
            long id = TestData.pull("Concurrent pull " + index);
            if (index % 2 == 0) {
                given().auth()
                        .oauth2(TestTokens.operator())
                        .contentType(ContentType.JSON)
                        .body("{\"resolution\":\"Resolution " + index + "\"}")
                        .when()
                        .header("If-Match", "*")
                        .post("/api/cords/" + id + "/resolve")
                        .then()
                        .statusCode(200);
            }
            return id;
        };
    }
}
