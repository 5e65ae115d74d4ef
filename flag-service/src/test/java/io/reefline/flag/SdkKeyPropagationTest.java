package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.reefline.flag.TestData.ofrep;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.flag.service.FlagSnapshots;
import io.reefline.flag.service.SdkKeys;
import io.reefline.testing.TestTokens;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SDK keys work the moment they are made, and OFREP's provider configuration. */
@QuarkusTest
class SdkKeyPropagationTest {

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("dark-mode", "boolean", "{\"on\":true,\"off\":false}", "on");
        TestData.configure("dark-mode", "production", "{\"enabled\":true,\"defaultVariant\":\"on\"}");
        TestData.sync();
    }

    /**
     * A script that creates a key and uses it at once is served by this replica (no wait for the 0.5 s poll), and
     * the key reaches the replica's polled catalog, which is what every other replica loads, within 2 s. Revoking
     * is refused here at once too.
     */
    @Test
    void shouldServeANewKeyAtOnceAndEverywhereWithinThePropagationBound() {
        FlagSnapshots snapshots = Arc.container().instance(FlagSnapshots.class).get();
        for (int i = 0; i < 10; i++) {
            String key = TestData.sdkKey("production");
            ofrep(key)
                    .body("{\"context\":{}}")
                    .post("/ofrep/v1/evaluate/flags/dark-mode")
                    .then()
                    .statusCode(200)
                    .body("value", equalTo(true));
            String hash = SdkKeys.hash(key);
            long start = System.nanoTime();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> snapshots.catalog().keys().containsKey(hash));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
        }
        String key = TestData.sdkKey("production");
        long id = as(TestTokens.admin())
                .get("/api/sdk-keys")
                .then()
                .extract()
                .jsonPath()
                .getLong("[-1].id");
        as(TestTokens.admin()).delete("/api/sdk-keys/" + id).then().statusCode(200);
        ofrep(key)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldAnswerOfrepProviderConfiguration() {
        given().get("/ofrep/v1/configuration").then().statusCode(401);
        given().header("X-API-Key", "rfl_unknown")
                .get("/ofrep/v1/configuration")
                .then()
                .statusCode(401);
        String key = TestData.sdkKey("production");
        String etag = given().header("Authorization", "Bearer " + key)
                .get("/ofrep/v1/configuration")
                .then()
                .statusCode(200)
                .body("name", equalTo("Reefline flag-service"))
                .body("capabilities.cacheInvalidation.polling.enabled", equalTo(true))
                .body("capabilities.cacheInvalidation.polling.minPollingIntervalMs", equalTo(1000))
                .body(
                        "capabilities.flagEvaluation.supportedTypes",
                        contains("boolean", "string", "int", "float", "object"))
                .extract()
                .header("ETag");
        given().header("X-API-Key", key)
                .header("If-None-Match", etag)
                .get("/ofrep/v1/configuration")
                .then()
                .statusCode(304);
    }
}
