package io.reefline.cell.follower;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@WithTestResource(FakePrimary.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowerTest {

    private static final String ACME = "{\"context\":{\"targetingKey\":\"user-1\",\"tenant\":\"acme\"}}";

    @Test
    @Order(1)
    void servesOfrepFromThePrimarysSnapshotWithTheTenantsAttributes() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertTrue(FakePrimary.authorizations().contains("Bearer " + FakePrimary.TOKEN));

        // acme's reef comes from the replicated tenant attributes, not from the request.
        evaluate("banner", ACME)
                .then()
                .statusCode(200)
                .body("value", equalTo(true))
                .body("reason", equalTo("TARGETING_MATCH"));
        evaluate("banner", "{\"context\":{\"targetingKey\":\"user-1\"}}")
                .then()
                .statusCode(200)
                .body("value", equalTo(false))
                .body("reason", equalTo("DEFAULT"));
        // A split by targeting key without one says so.
        evaluate("split", "{}").then().statusCode(400).body("errorCode", equalTo("TARGETING_KEY_MISSING"));
        evaluate("nothing", ACME).then().statusCode(404).body("errorCode", equalTo("FLAG_NOT_FOUND"));

        Response bulk = bulk(ACME, null);
        bulk.then().statusCode(200).body("flags.key", hasItem("split")).header("ETag", notNullValue());
        bulk(ACME, bulk.header("ETag")).then().statusCode(304);
        given().header("X-API-Key", FakePrimary.SDK_KEY)
                .get("/ofrep/v1/configuration")
                .then()
                .statusCode(200)
                .body("capabilities.cacheInvalidation.polling.enabled", equalTo(true));
    }

    @Test
    @Order(2)
    void aChangeAtThePrimaryIsServedWithinTwoSecondsAndKeptOnDisk() throws Exception {
        FakePrimary.publish(2, "true");
        await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> evaluate("banner", "{\"context\":{\"targetingKey\":\"user-1\"}}")
                        .then()
                        .body("value", equalTo(true)));
        Path kept = FakePrimary.dataDir.resolve("flags/snapshot.json");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> Files.exists(kept)
                        && Files.readString(kept, StandardCharsets.UTF_8).contains("\"catalogVersion\":2"));
    }

    @Test
    @Order(3)
    void whileThePrimaryIsDownTheLastSnapshotKeepsAnsweringAndChangesFlowWhenItIsBack() {
        FakePrimary.down();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> given().get("/api/cell")
                        .then()
                        .body("follower.lastProblem", containsString("ConnectException")));
        evaluate("banner", "{\"context\":{\"targetingKey\":\"user-1\"}}")
                .then()
                .statusCode(200)
                .body("value", equalTo(true));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("reefline_cell_follower_primary_reachable{reef=\"reef-test\"} 0.0"));

        FakePrimary.publish(3, "false");
        FakePrimary.up();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> evaluate("banner", "{\"context\":{\"targetingKey\":\"user-1\"}}")
                        .then()
                        .body("value", equalTo(false)));
        given().get("/api/cell")
                .then()
                .body("follower.catalogVersion", equalTo(3))
                .body("reef", equalTo("reef-test"));
    }

    @Test
    @Order(4)
    void badRequestsGetClearAnswers() {
        given().body("{}")
                .post("/ofrep/v1/evaluate/flags/banner")
                .then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("detail", containsString("SDK key is required"));
        given().header("X-API-Key", "not-a-key")
                .body("{}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(401)
                .body("detail", equalTo("The SDK key is not known"));
        evaluate("banner", "{\"context\":\"acme\"}")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        evaluate("banner", "{\"context\":{}} {}").then().statusCode(400).body("errorCode", equalTo("INVALID_CONTEXT"));
        String huge = "{\"context\":{\"padding\":\"" + "x".repeat((int) OfrepRoutes.MAX_BODY) + "\"}}";
        Response tooLarge = evaluate("banner", huge);
        assertEquals(413, tooLarge.statusCode());
        tooLarge.then().contentType("application/problem+json").body("status", equalTo(413));
    }

    private static Response evaluate(String flag, String body) {
        return given().header("X-API-Key", FakePrimary.SDK_KEY)
                .contentType("application/json")
                .body(body)
                .post("/ofrep/v1/evaluate/flags/" + flag);
    }

    private static Response bulk(String body, String ifNoneMatch) {
        var request = given().header("X-API-Key", FakePrimary.SDK_KEY).contentType("application/json");
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return request.body(body).post("/ofrep/v1/evaluate/flags");
    }
}
