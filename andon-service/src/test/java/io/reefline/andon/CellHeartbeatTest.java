package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT /api/cells/{reef}} and {@code GET /api/cells}: a reef whose cell has gone silent, or reports cords still
 * waiting to reach the hub, is not upgraded (a one-way partition must not let the hub upgrade a reef whose cords
 * cannot arrive); every other reef, and every question without a reef, is judged by its cords only.
 */
@QuarkusTest
class CellHeartbeatTest {

    @Inject
    TestClock clock;

    @BeforeEach
    void emptyTables() {
        TestData.clear();
        clock.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
        TestData.clear();
    }

    @Test
    void shouldHoldAReefWhoseCellFallsSilentUntilItIsHeardFromAgain() {
        beat("reef-eu-1", "cell-0", 0, null).then().statusCode(200).body("state", equalTo("ok"));
        gate("reef-eu-1").then().statusCode(200).body("allowed", equalTo(true));

        clock.advance(Duration.ofSeconds(61));

        gate("reef-eu-1")
                .then()
                .statusCode(423)
                .body("allowed", equalTo(false))
                .body("reason", containsString("the cell of reef-eu-1 (replica cell-0) has not been heard from since"))
                .body("reason", containsString("cords pulled there may not have reached the hub"))
                .body("cells[0].state", equalTo("silent"))
                .body("cells[0].silentFor", startsWith("PT1M1"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cells")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].reef", equalTo("reef-eu-1"))
                .body("items[0].replica", equalTo("cell-0"))
                .body("items[0].state", equalTo("silent"))
                .body("items[0].queuedCords", equalTo(0));
        // Other reefs, reefs without a cell and questions without a reef are unaffected.
        gate("reef-us-1").then().statusCode(200).body("allowed", equalTo(true));
        given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?release=2026.11.3")
                .then()
                .statusCode(200);

        beat("reef-eu-1", "cell-0", 0, null).then().statusCode(200).body("state", equalTo("ok"));
        gate("reef-eu-1").then().statusCode(200).body("allowed", equalTo(true));
    }

    @Test
    void shouldHoldAReefWhileItsCellReportsCordsWaiting() {
        String oldest =
                Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MILLIS).toString();
        beat("reef-eu-2", "cell-0", 0, null).then().statusCode(200);
        beat("reef-eu-2", "cell-1", 2, oldest)
                .then()
                .statusCode(200)
                .body("state", equalTo("cords-waiting"))
                .body("oldestQueuedAt", equalTo(oldest));

        gate("reef-eu-2")
                .then()
                .statusCode(423)
                .body("reason", containsString("reported 2 cords waiting to reach the hub since " + oldest))
                .body("cells[0].replica", equalTo("cell-1"))
                .body("cells[0].state", equalTo("cords-waiting"))
                .body("cords.size()", equalTo(0));
        gate("reef-eu-3").then().statusCode(200);
        given().cookie("reefline_token", TestTokens.viewer())
                .accept("text/html")
                .when()
                .get("/ui/andon")
                .then()
                .statusCode(200)
                .body(containsString("id=\"cell-reef-eu-2-cell-1\""))
                .body(containsString("cords-waiting"));

        // An older heartbeat that arrives late (sent before the cords were queued) changes nothing.
        put(
                        TestTokens.cell("reef-eu-2"),
                        "reef-eu-2",
                        body("cell-1", "0", "null", "\"" + Instant.now().minusSeconds(5) + "\""))
                .then()
                .statusCode(200)
                .body("state", equalTo("cords-waiting"))
                .body("queuedCords", equalTo(2));
        gate("reef-eu-2").then().statusCode(423).body("cells[0].state", equalTo("cords-waiting"));

        // The cords arrived: the next heartbeat reports none waiting, and the line moves again.
        beat("reef-eu-2", "cell-1", 0, null).then().statusCode(200).body("state", equalTo("ok"));
        gate("reef-eu-2").then().statusCode(200).body("allowed", equalTo(true));
    }

    @Test
    void shouldTakeHeartbeatsFromCellsOnly() {
        String body = body("cell-0", "0", "null", "\"" + Instant.now() + "\"");
        for (String token : new String[] {
            TestTokens.viewer(), TestTokens.operator(), TestTokens.admin(), TestTokens.service(), TestTokens.publisher()
        }) {
            put(token, "reef-eu-1", body).then().statusCode(403).contentType("application/problem+json");
        }
        put(null, "reef-eu-1", body).then().statusCode(401).contentType("application/problem+json");
        given().when().get("/api/cells").then().statusCode(401).contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cells")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void shouldRefuseHeartbeatsACellSendsForAnotherReefAndRecordNothing() {
        String body = body("cell-0", "0", "null", "\"" + Instant.now() + "\"");
        put(TestTokens.cell("reef-eu-1"), "reef-eu-2", body)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("The cell of reef 'reef-eu-1'"))
                .body("detail", containsString("not for reef 'reef-eu-2'"));
        put(TestTokens.cellWithoutReef(), "reef-eu-2", body)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("must name its reef in the reefline_reef claim"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cells")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
        // A reef whose heartbeat a foreign cell tried to send is not known, so not held.
        gate("reef-eu-2").then().statusCode(200).body("cells", nullValue());
    }

    @Test
    void shouldRejectBadHeartbeatsWithProblemAndRecordNothing() {
        String now = "\"" + Instant.now() + "\"";
        assertRejected("reef eu", body("cell-0", "0", "null", now), "reef");
        assertRejected("r".repeat(101), body("cell-0", "0", "null", now), "reef");
        assertRejected("reef-eu-1", body("", "0", "null", now), "replica");
        assertRejected("reef-eu-1", "{\"queuedCords\":0,\"sentAt\":" + now + "}", "replica");
        assertRejected("reef-eu-1", body("cell-0", "-1", "null", now), "queuedCords");
        assertRejected("reef-eu-1", body("cell-0", "1.5", "null", now), "queuedCords");
        assertRejected("reef-eu-1", body("cell-0", "\"2\"", "null", now), "queuedCords");
        assertRejected("reef-eu-1", body("cell-0", "3000000000", "null", now), "queuedCords");
        assertRejected("reef-eu-1", body("cell-0", "1", "null", now), "oldestQueuedAt");
        assertRejected("reef-eu-1", body("cell-0", "0", now, now), "oldestQueuedAt");
        assertRejected("reef-eu-1", body("cell-0", "1", "1767225600", now), "oldestQueuedAt");
        assertRejected("reef-eu-1", body("cell-0", "0", "null", "\"2026-03-02T09:00:00+01:00\""), "sentAt");
        assertRejected("reef-eu-1", body("cell-0", "0", "null", "null"), "sentAt");
        assertRejected(
                "reef-eu-1", "{\"replica\":\"cell-0\",\"queuedCords\":0,\"sentAt\":" + now + ",\"extra\":1}", "extra");
        put(TestTokens.cell("reef-eu-1"), "reef-eu-1", body("cell-0", "0", "null", now) + " {}")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        put(TestTokens.cell("reef-eu-1"), "reef-eu-1", "[]")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cells")
                .then()
                .statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void shouldForgetAReplicaThatIsGoneForGood() {
        beat("reef-au-1", "cell-1", 0, null).then().statusCode(200);
        clock.advance(Duration.ofMinutes(5));
        gate("reef-au-1").then().statusCode(423);

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .delete("/api/cells/reef-au-1/cell-1")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.operator())
                .when()
                .delete("/api/cells/reef-au-1/cell-1")
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestTokens.operator())
                .when()
                .delete("/api/cells/reef-au-1/cell-1")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        gate("reef-au-1").then().statusCode(200).body("cells", nullValue());
    }

    private static void assertRejected(String reef, String body, String field) {
        put(TestTokens.cell(reef), reef, body)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", hasItem(field));
    }

    private static Response beat(String reef, String replica, int queued, String oldest) {
        return put(
                TestTokens.cell(reef),
                reef,
                body(
                        replica,
                        String.valueOf(queued),
                        oldest == null ? "null" : "\"" + oldest + "\"",
                        "\"" + Instant.now() + "\""));
    }

    private static String body(String replica, String queued, String oldest, String sentAt) {
        return "{\"replica\":\"" + replica + "\",\"queuedCords\":" + queued + ",\"oldestQueuedAt\":" + oldest
                + ",\"sentAt\":" + sentAt + "}";
    }

    private static Response put(String token, String reef, String body) {
        var request = given().contentType(ContentType.JSON);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return request.body(body).when().put("/api/cells/" + reef);
    }

    private static Response gate(String reef) {
        return given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?release=2026.11.3&ring=stable&reef=" + reef);
    }
}
