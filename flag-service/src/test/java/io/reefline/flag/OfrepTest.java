package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.reefline.flag.TestData.ofrep;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OfrepTest {

    private String productionKey;

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("staging", "Staging");
        TestData.environment("production", "Production");
        TestData.flag("dark-mode", "boolean", "{\"on\":true,\"off\":false}", "off");
        TestData.configure("dark-mode", "production", "{\"enabled\":true,\"defaultVariant\":\"on\"}");
        TestData.flag("discount", "number", "{\"none\":0.0,\"ten\":10.0}", "ten");
        TestData.configure("discount", "production", "{\"enabled\":true,\"defaultVariant\":\"ten\"}");
        productionKey = TestData.sdkKey("production");
        TestData.sync();
    }

    @Test
    void shouldEvaluateOneFlagWithTheKeysEnvironment() {
        ofrep(productionKey)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(200)
                .body("key", equalTo("dark-mode"))
                .body("value", equalTo(true))
                .body("variant", equalTo("on"))
                .body("reason", equalTo("STATIC"));
        String staging = TestData.sdkKey("staging");
        TestData.sync();
        given().header("Authorization", "Bearer " + staging)
                .contentType(ContentType.JSON)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(200)
                .body("reason", equalTo("DISABLED"))
                .body("$", not(hasKey("value")));
    }

    @Test
    void shouldAnswerTheLoadBaselineWithoutKeyOrToken() {
        given().get("/ping").then().statusCode(200).body("status", equalTo("ok"));
    }

    @Test
    void shouldWriteFloatsWithADecimalPoint() {
        String body = ofrep(productionKey)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/discount")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(body.contains("\"value\":10.0"), body);
    }

    @Test
    void shouldRefuseMissingUnknownAndRevokedKeys() {
        given().contentType(ContentType.JSON)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(401);
        ofrep("rfl_unknown")
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(401);
        int id = as(TestTokens.admin()).get("/api/sdk-keys").then().extract().path("[0].id");
        as(TestTokens.admin()).delete("/api/sdk-keys/" + id).then().statusCode(200);
        TestData.sync();
        ofrep(productionKey)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldAnswerOfrepErrorCodes() {
        ofrep(productionKey)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/nope")
                .then()
                .statusCode(404)
                .body("key", equalTo("nope"))
                .body("errorCode", equalTo("FLAG_NOT_FOUND"));
        ofrep(productionKey)
                .body("{\"context\":[1,2]}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        ofrep(productionKey)
                .body("{\"context\":")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));
        ofrep(productionKey)
                .body("{\"context\":{\"targetingKey\":42}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));

        TestData.flag("split", "string", "{\"a\":\"A\",\"b\":\"B\"}", "a");
        TestData.configure("split", "production", """
                {"enabled":true,"defaultVariant":"a","jsonLogic":{"fractional":[["a",50],["b",50]]}}
                """);
        TestData.sync();
        ofrep(productionKey)
                .body("{\"context\":{\"region\":\"eu\"}}")
                .post("/ofrep/v1/evaluate/flags/split")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("TARGETING_KEY_MISSING"));
        ofrep(productionKey)
                .body("{\"context\":{\"targetingKey\":\"user-7\"}}")
                .post("/ofrep/v1/evaluate/flags/split")
                .then()
                .statusCode(200)
                .body("reason", equalTo("TARGETING_MATCH"));
    }

    @Test
    void shouldAnswerBulkWithEtagAnd304() {
        var first = ofrep(productionKey)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(200)
                .body("flags.key", hasItem("dark-mode"))
                .body("flags.key", hasItem("discount"))
                .extract();
        String etag = first.header("ETag");
        assertTrue(first.asString().contains("\"value\":10.0"), first.asString());
        ofrep(productionKey)
                .header("If-None-Match", etag)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(304);
        ofrep(productionKey)
                .header("If-None-Match", etag)
                .body("{\"context\":{\"targetingKey\":\"user-2\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(200)
                .header("ETag", not(equalTo(etag)));
        ofrep(productionKey)
                .body("{\"context\":\"nope\"}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("INVALID_CONTEXT"));

        TestData.configure("dark-mode", "production", "{\"enabled\":true,\"defaultVariant\":\"off\"}");
        TestData.sync();
        ofrep(productionKey)
                .header("If-None-Match", etag)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(200)
                .header("ETag", not(equalTo(etag)));
    }

    /** A write through the API reaches evaluation through the replica's own poll, well within 2 s. */
    @Test
    void shouldServeAWriteWithinTwoSeconds() {
        ofrep(productionKey)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .body("value", equalTo(true));
        long start = System.nanoTime();
        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/dark-mode/environments/production/disable")
                .then()
                .statusCode(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ofrep(productionKey)
                        .body("{\"context\":{}}")
                        .post("/ofrep/v1/evaluate/flags/dark-mode")
                        .then()
                        .extract()
                        .path("reason")
                        .equals("DISABLED"));
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
    }

    /**
     * Must show: a flagd file with fractional, sem_ver, starts_with and $ref rules imports through the API and
     * evaluates through OFREP to the variants flagd's documentation and conformance suite give.
     */
    @Test
    void shouldImportFlagdFileAndEvaluateAsFlagdDocuments() {
        as(TestTokens.operator())
                .body(FlagdFiles.DOCUMENTED)
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(200)
                .body("created", hasItem("fibAlgo"));
        String staging = TestData.sdkKey("staging");
        TestData.sync();
        assertVariant(staging, "fibAlgo", "{\"email\":\"ada@faas.com\"}", "binet");
        assertVariant(staging, "fibAlgo", "{\"email\":\"ada@example.com\"}", "recursive");
        assertVariant(staging, "semverColor", "{\"version\":\"1.0.1\"}", "red");
        assertVariant(staging, "semverColor", "{\"version\":\"0.1.0\"}", "green");
        assertVariant(staging, "fractional-flag", "{\"user\":{\"name\":\"jack\"}}", "hearts");
        assertVariant(staging, "fractional-flag", "{\"user\":{\"name\":\"queen\"}}", "spades");
        assertVariant(staging, "fractional-flag", "{\"user\":{\"name\":\"ten\"}}", "clubs");
        assertVariant(staging, "fractional-flag", "{\"user\":{\"name\":\"nine\"}}", "diamonds");
        assertVariant(staging, "starts-ends-flag", "{\"id\":\"abcdef\"}", "prefix");
        assertVariant(staging, "starts-ends-flag", "{\"id\":\"uvwxyz\"}", "postfix");
        assertVariant(staging, "starts-ends-flag", "{\"id\":\"abcxyz\"}", "prefix");
        assertVariant(staging, "equal-greater-lesser-version-flag", "{\"version\":\"2.1.0\"}", "greater");
        ofrep(staging)
                .body("{\"context\":{\"email\":\"ada@faas.com\"}}")
                .post("/ofrep/v1/evaluate/flags/fibAlgo")
                .then()
                .body("metadata.flagSetId", equalTo("ecommerce"));

        String exported = as(TestTokens.viewer())
                .get("/api/environments/staging/flagd")
                .then()
                .statusCode(200)
                .body("$evaluators.emailWithFaas", org.hamcrest.Matchers.notNullValue())
                .body("flags.fibAlgo.targeting.if[0].$ref", equalTo("emailWithFaas"))
                .extract()
                .asString();
        // The export imports again unchanged, into another environment.
        as(TestTokens.operator())
                .body(exported)
                .header("If-Match", "*")
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(200)
                .body("updated", hasItem("fibAlgo"));
        as(TestTokens.viewer())
                .get("/api/flags/semverColor/audit")
                .then()
                .body("items.action", hasItem("import"))
                .body("items.environment", hasItem("production"));
    }

    /** What flagd's schema refuses rejects the file whole; an unknown $ref alone would be a warning (FlagdImportTest). */
    @Test
    void shouldRejectABadFlagdFileWholeNamingThePaths() {
        as(TestTokens.operator())
                .body("""
                        {"flags": {
                          "good": {"state":"ENABLED","variants":{"on":true,"off":false},"defaultVariant":"on"},
                          "bad": {"state":"ON","variants":{"a":1,"b":"two"},"defaultVariant":"a",
                                  "targeting":{"if":[{"$ref":"missing"},"a",null]}}
                        }}
                        """)
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("/flags/bad/state"))
                .body("violations.field", hasItem("/flags/bad/variants/b"))
                .body("detail", containsString("/flags/bad/state"));
        as(TestTokens.viewer()).get("/api/flags/good").then().statusCode(404);
        as(TestTokens.operator())
                .body("[1]")
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(400);
        assertEquals(
                0,
                as(TestTokens.viewer()).get("/api/flags").then().extract().jsonPath().getList("key").stream()
                        .filter("good"::equals)
                        .count());
    }

    private static void assertVariant(String sdkKey, String flag, String context, String variant) {
        ofrep(sdkKey)
                .body("{\"context\":" + context + "}")
                .post("/ofrep/v1/evaluate/flags/" + flag)
                .then()
                .statusCode(200)
                .body("variant", equalTo(variant));
    }
}
