package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.reefline.flag.TestData.ofrep;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OFREP with flagd's current semantics: a disabled flag is a 200 with reason DISABLED and no value or variant (the
 * caller's code default), in single and bulk evaluation, with a bulk ETag that follows it; an operator given input it
 * cannot use gives the default variant with reason DEFAULT; targeting beyond the evaluation budget is refused with a
 * field-named 400.
 */
@QuarkusTest
class OfrepFlagdSemanticsTest {

    private String key;

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("dark-mode", "boolean", "{\"on\":true,\"off\":false}", "on");
        TestData.configure("dark-mode", "production", "{\"enabled\":false,\"defaultVariant\":\"on\"}");
        TestData.flag("discount", "number", "{\"none\":0.0,\"ten\":10.0}", "ten");
        TestData.configure("discount", "production", "{\"enabled\":true,\"defaultVariant\":\"ten\"}");
        TestData.flag(
                "min-version", "string", "{\"new\":\"new\",\"old\":\"old\",\"fallback\":\"fallback\"}", "fallback");
        TestData.configure("min-version", "production", """
                {"enabled":true,"defaultVariant":"fallback",
                 "jsonLogic":{"if":[{"sem_ver":[{"var":"version"},">=","2.0.0"]},"new","old"]}}
                """);
        key = TestData.sdkKey("production");
        TestData.sync();
    }

    @Test
    void shouldAnswerADisabledFlagWithReasonDisabledAndNoValue() {
        Map<String, Object> body = ofrep(key)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags/dark-mode")
                .then()
                .statusCode(200)
                .body("key", equalTo("dark-mode"))
                .body("reason", equalTo("DISABLED"))
                .body("$", not(hasKey("value")))
                .body("$", not(hasKey("variant")))
                .body("$", not(hasKey("errorCode")))
                .body("metadata", aMapWithSize(0))
                .extract()
                .path("$");

        assertEquals(3, body.size(), body.toString());
    }

    @Test
    void shouldIncludeDisabledFlagsInBulkAndMoveTheEtagWhenOneIsDisabled() {
        var first = ofrep(key)
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(200)
                .extract();
        List<Map<String, Object>> flags = first.path("flags");
        Map<String, Object> darkMode = flags.stream()
                .filter(f -> "dark-mode".equals(f.get("key")))
                .findFirst()
                .orElseThrow();
        assertEquals(Map.of("key", "dark-mode", "reason", "DISABLED", "metadata", Map.of()), darkMode);
        assertEquals(3, flags.size());

        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/discount/environments/production/disable")
                .then()
                .statusCode(200);
        TestData.sync();
        var second = ofrep(key)
                .header("If-None-Match", first.header("ETag"))
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(200)
                .extract();

        assertNotEquals(first.header("ETag"), second.header("ETag"));
        List<Map<String, Object>> after = second.path("flags");
        assertEquals(
                Map.of("key", "discount", "reason", "DISABLED", "metadata", Map.of()),
                after.stream()
                        .filter(f -> "discount".equals(f.get("key")))
                        .findFirst()
                        .orElseThrow());
        ofrep(key)
                .header("If-None-Match", second.header("ETag"))
                .body("{\"context\":{\"targetingKey\":\"user-1\"}}")
                .post("/ofrep/v1/evaluate/flags")
                .then()
                .statusCode(304);
    }

    @Test
    void shouldServeTheDefaultVariantWhenAnOperatorCannotUseItsInput() {
        ofrep(key)
                .body("{\"context\":{\"version\":\"2.1.0\"}}")
                .post("/ofrep/v1/evaluate/flags/min-version")
                .then()
                .statusCode(200)
                .body("value", equalTo("new"))
                .body("reason", equalTo("TARGETING_MATCH"));
        ofrep(key)
                .body("{\"context\":{\"version\":\"not-a-version\"}}")
                .post("/ofrep/v1/evaluate/flags/min-version")
                .then()
                .statusCode(200)
                .body("value", equalTo("fallback"))
                .body("reason", equalTo("DEFAULT"));
        ofrep(key)
                .body("{\"context\":{\"version\":2}}")
                .post("/ofrep/v1/evaluate/flags/min-version")
                .then()
                .statusCode(200)
                .body("value", equalTo("new"));
    }

    @Test
    void shouldRefuseTargetingTooDeepForTheBudgetNamingTheField() {
        String rule = "{\"var\":\"x\"}";
        for (int i = 0; i < 40; i++) {
            rule = "{\"!\":[" + rule + "]}";
        }
        as(TestTokens.operator())
                .body("{\"enabled\":true,\"defaultVariant\":\"ten\",\"jsonLogic\":" + rule + "}")
                .header("If-Match", "*")
                .put("/api/flags/discount/environments/production")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("jsonLogic"))
                .body("violations[0].message", containsString("at most 32"));
    }

    /** The exponential rule: shared evaluators referenced twice per level, 40 levels; refused on import. */
    @Test
    void shouldRefuseTheExponentialRuleOnImport() {
        StringBuilder evaluators = new StringBuilder("\"e0\":{\"var\":\"x\"}");
        for (int i = 1; i < 40; i++) {
            evaluators
                    .append(",\"e")
                    .append(i)
                    .append("\":{\"+\":[{\"$ref\":\"e")
                    .append(i - 1)
                    .append("\"},{\"$ref\":\"e")
                    .append(i - 1)
                    .append("\"}]}");
        }
        String file = "{\"flags\":{\"expensive\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,\"off\":false},"
                + "\"defaultVariant\":\"off\",\"targeting\":{\"if\":[{\">\":[{\"$ref\":\"e39\"},0]},\"on\",\"off\"]}}},"
                + "\"$evaluators\":{" + evaluators + "}}";

        as(TestTokens.operator())
                .body(file)
                .header("If-Match", "*")
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.hasItem("/flags/expensive/targeting"))
                .body("detail", containsString("nodes once $refs are expanded"));
    }
}
