package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.reefline.flag.TestData.ofrep;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** flagd files per environment: imported as flagd loads them, exported back equal, warnings instead of refusals. */
@QuarkusTest
class FlagdImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ENVIRONMENTS = List.of("staging", "production", "cloud-customers");

    @BeforeEach
    void setUp() {
        TestData.clear();
        ENVIRONMENTS.forEach(env -> TestData.environment(env, env));
    }

    /**
     * Must show: per-environment flagd files with the same keys and different variants (and defaults, targeting,
     * shared evaluators and metadata) import unchanged, each evaluates with its own variants, and every environment
     * exports back a file JSON-equal to the one imported, also after the other environments' imports.
     */
    @Test
    void shouldRoundTripPerEnvironmentFlagdFiles() throws Exception {
        for (String env : ENVIRONMENTS) {
            as(TestTokens.operator())
                    .body(file(env))
                    .header("If-Match", "*")
                    .put("/api/environments/" + env + "/flagd")
                    .then()
                    .statusCode(200)
                    .body("environment", equalTo(env))
                    .body("warnings", empty());
        }
        for (String env : ENVIRONMENTS) {
            assertEquals(JSON.readTree(file(env)), export(env), "export of " + env);
        }

        as(TestTokens.viewer())
                .get("/api/flags/checkout-layout/environments/production")
                .then()
                .body("variants.keySet()", containsInAnyOrder("old", "new"))
                .body("defaultVariant", equalTo("old"));
        as(TestTokens.viewer())
                .get("/api/flags/checkout-layout/environments/cloud-customers")
                .then()
                .body("variants.legacy", equalTo("classic-v0"));

        String staging = TestData.sdkKey("staging");
        String production = TestData.sdkKey("production");
        String cloud = TestData.sdkKey("cloud-customers");
        TestData.sync();
        assertValue(staging, "checkout-layout", Map.of("email", "eve@reefline.io"), "new", "one-page");
        assertValue(production, "checkout-layout", Map.of("tenant", "initech"), "old", "classic");
        assertValue(production, "checkout-layout", Map.of("tenant", "acme"), "new", "one-page");
        assertValue(cloud, "checkout-layout", Map.of(), "legacy", "classic-v0");
        assertValue(staging, "discount", Map.of(), "small", 2.5f);
        assertValue(production, "discount", Map.of(), "none", 0);
        ofrep(production)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/discount")
                .then()
                .body("metadata.approvedBy", equalTo("finance"))
                .body("metadata.flagSetId", equalTo("shop-production"));

        // A flag only staging's file names is a disabled placeholder elsewhere, not exported there until configured.
        as(TestTokens.viewer())
                .get("/api/flags/staging-only/environments/production")
                .then()
                .body("declared", equalTo(false))
                .body("enabled", equalTo(false));
        ofrep(production)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/staging-only")
                .then()
                .body("reason", equalTo("DISABLED"));

        // Importing an environment's file again changes nothing, in it or elsewhere.
        as(TestTokens.operator())
                .body(file("production"))
                .header("If-Match", "*")
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(200)
                .body("updated", hasItems("checkout-layout", "discount", "search-v2"));
        for (String env : ENVIRONMENTS) {
            assertEquals(JSON.readTree(file(env)), export(env), "export of " + env + " after a re-import");
        }
        TestData.configure("staging-only", "production", "{\"enabled\":true,\"defaultVariant\":\"a\"}");
        assertEquals(
                "A", export("production").at("/flags/staging-only/variants/a").asText());
    }

    /**
     * Must show: a file flagd loads but with a wrong argument count, an unknown $ref, a result that is no variant
     * and a variant never served imports whole; the answer and the flag's configuration carry the warnings, the good
     * flag evaluates, and the one whose targeting cannot be applied answers PARSE_ERROR as flagd does.
     */
    @Test
    void shouldImportWithWarningsWhatFlagdLoads() {
        as(TestTokens.operator())
                .body(FlagdFiles.read("/flagd/with-warnings.json"))
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(200)
                .body("created", hasSize(4))
                .body(
                        "warnings.path",
                        hasItems(
                                "/flags/arity/targeting/if/0/==",
                                "/flags/unknown-ref/targeting/if/0/$ref",
                                "/flags/unreachable/targeting/if/2",
                                "/flags/unreachable/variants/blue"))
                .body(
                        "warnings.find { it.path == '/flags/arity/targeting/if/0/==' }.message",
                        containsString("takes 2 argument(s), got 1"))
                .body(
                        "warnings.find { it.path == '/flags/unreachable/variants/blue' }.message",
                        containsString("never served"))
                .body("warnings.path.findAll { it.startsWith('/flags/fine') }", empty());

        as(TestTokens.viewer())
                .get("/api/flags/unreachable/environments/staging")
                .then()
                .statusCode(200)
                .body("warnings.path", contains("/targeting/if/2", "/variants/blue"))
                .body("warnings[0].message", containsString("'purple'"));
        as(TestTokens.viewer())
                .get("/api/flags/unknown-ref/environments/staging")
                .then()
                .body("warnings[0].path", equalTo("/targeting/if/0/$ref"))
                .body("targeting.if[0].$ref", equalTo("notDefined"));
        // The targeting is kept as written and exported unchanged.
        assertEquals(
                "notDefined",
                export("staging").at("/flags/unknown-ref/targeting/if/0/$ref").asText());

        String key = TestData.sdkKey("staging");
        TestData.sync();
        ofrep(key)
                .body("{\"context\":{}}")
                .post("/ofrep/v1/evaluate/flags/fine")
                .then()
                .statusCode(200)
                .body("value", equalTo(true));
        ofrep(key)
                .body("{\"context\":{\"tenant\":\"acme\"}}")
                .post("/ofrep/v1/evaluate/flags/unknown-ref")
                .then()
                .statusCode(400)
                .body("errorCode", equalTo("PARSE_ERROR"));
        ofrep(key)
                .body("{\"context\":{\"tenant\":\"acme\"}}")
                .post("/ofrep/v1/evaluate/flags/unreachable")
                .then()
                .statusCode(200)
                .body("variant", equalTo("green"));

        // The kill switch works on a flag whose targeting does not compile; new bad targeting is still refused.
        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/unknown-ref/environments/staging/disable")
                .then()
                .statusCode(200)
                .body("warnings", hasSize(1));
        as(TestTokens.operator())
                .body(
                        "{\"enabled\":true,\"defaultVariant\":\"off\",\"jsonLogic\":{\"if\":[{\"$ref\":\"x\"},\"on\",null]}}")
                .header("If-Match", "*")
                .put("/api/flags/fine/environments/staging")
                .then()
                .statusCode(400);
        // Fixing the targeting clears the warnings.
        as(TestTokens.operator())
                .body("{\"enabled\":true,\"defaultVariant\":\"red\",\"variants\":{\"red\":\"#f00\",\"green\":\"#0f0\"},"
                        + "\"jsonLogic\":{\"if\":[{\"in\":[{\"var\":\"tenant\"},[\"acme\"]]},\"green\",null]}}")
                .header("If-Match", "*")
                .put("/api/flags/unreachable/environments/staging")
                .then()
                .statusCode(200)
                .body("warnings", empty())
                .body("variants.keySet()", containsInAnyOrder("red", "green"));
    }

    @Test
    void shouldStillRefuseWhatFlagdsSchemaRefuses() {
        as(TestTokens.operator())
                .body("{\"flags\":{\"x\":{\"state\":\"ON\",\"variants\":{\"a\":1}},"
                        + "\"y\":{\"state\":\"ENABLED\",\"variants\":{\"a\":1},\"targeting\":\"a\"}}}")
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("/flags/x/state"))
                .body("violations.field", hasItem("/flags/y/targeting"));
    }

    @Test
    void shouldImportFlagdsListOfFlags() {
        as(TestTokens.operator())
                .body("{\"flags\":[{\"key\":\"listed\",\"state\":\"ENABLED\",\"variants\":{\"a\":\"A\"},"
                        + "\"defaultVariant\":\"a\"}]}")
                .header("If-Match", "*")
                .put("/api/environments/staging/flagd")
                .then()
                .statusCode(200)
                .body("created", contains("listed"));
        assertEquals("A", export("staging").at("/flags/listed/variants/a").asText());
    }

    private static String file(String environment) {
        return FlagdFiles.read("/flagd/env-" + environment + ".json");
    }

    private static JsonNode export(String environment) {
        try {
            return JSON.readTree(as(TestTokens.viewer())
                    .get("/api/environments/" + environment + "/flagd")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertValue(
            String sdkKey, String flag, Map<String, Object> context, String variant, Object value) {
        ofrep(sdkKey)
                .body(Map.of("context", context))
                .post("/ofrep/v1/evaluate/flags/" + flag)
                .then()
                .statusCode(200)
                .body("variant", equalTo(variant))
                .body("value", equalTo(value));
    }
}
