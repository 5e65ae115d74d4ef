package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One If-Match rule: a change to a mutable resource without If-Match is a 428 and changes nothing; a stale one a 412;
 * the ETag read (or {@code *}) goes through. Environment renames and flagd imports included.
 */
@QuarkusTest
class IfMatchRequiredTest {

    private static final String FILE = "{\"flags\":{\"banner\":{\"state\":\"ENABLED\",\"variants\":{\"on\":true,"
            + "\"off\":false},\"defaultVariant\":\"on\"}}}";

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("production", "Production");
        TestData.flag("banner", "boolean", "{\"on\":true,\"off\":false}", "off");
    }

    @Test
    void shouldRefuseAFlagChangeWithoutIfMatchAndKeepTheFlag() {
        as(TestTokens.operator())
                .body("{\"enabled\":true,\"defaultVariant\":\"on\"}")
                .put("/api/flags/banner/environments/production")
                .then()
                .statusCode(428)
                .contentType("application/problem+json")
                .body("detail", containsString("If-Match"));
        as(TestTokens.viewer())
                .get("/api/flags/banner/environments/production")
                .then()
                .body("enabled", equalTo(false))
                .body("defaultVariant", equalTo("off"));
        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/banner/environments/production/enable")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldRenameAnEnvironmentOnlyOverTheVersionRead() {
        String etag = as(TestTokens.viewer())
                .get("/api/environments/production")
                .then()
                .statusCode(200)
                .body("name", equalTo("Production"))
                .extract()
                .header("ETag");
        as(TestTokens.admin())
                .body("{\"name\":\"Prod\"}")
                .put("/api/environments/production")
                .then()
                .statusCode(428)
                .contentType("application/problem+json");
        as(TestTokens.admin())
                .body("{\"name\":\"Prod\"}")
                .header("If-Match", "\"env-999\"")
                .put("/api/environments/production")
                .then()
                .statusCode(412)
                .contentType("application/problem+json");
        as(TestTokens.viewer()).get("/api/environments/production").then().body("name", equalTo("Production"));

        String renamed = as(TestTokens.admin())
                .body("{\"name\":\"Prod\"}")
                .header("If-Match", etag)
                .put("/api/environments/production")
                .then()
                .statusCode(200)
                .body("name", equalTo("Prod"))
                .extract()
                .header("ETag");
        assertNotEquals(etag, renamed, "a rename moves the environment's ETag");
        // Creating an environment needs no precondition: there is nothing to overwrite.
        as(TestTokens.admin())
                .body("{\"name\":\"Staging\"}")
                .put("/api/environments/staging")
                .then()
                .statusCode(201);
    }

    @Test
    void shouldImportAFlagdFileOnlyOverTheExportRead() {
        String etag = as(TestTokens.viewer())
                .get("/api/environments/production/flagd")
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
        String before = as(TestTokens.viewer())
                .get("/api/environments/production/flagd")
                .asString();

        as(TestTokens.operator())
                .body(FILE)
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(428)
                .contentType("application/problem+json");
        // Someone changes the environment after the export was read: the import over it is stale.
        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/banner/environments/production/enable")
                .then()
                .statusCode(200);
        String changed = as(TestTokens.viewer())
                .get("/api/environments/production/flagd")
                .asString();
        as(TestTokens.operator())
                .body(FILE)
                .header("If-Match", etag)
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(412)
                .contentType("application/problem+json");
        assertEquals(
                changed,
                as(TestTokens.viewer())
                        .get("/api/environments/production/flagd")
                        .asString());
        assertNotEquals(before, changed);

        String current = as(TestTokens.viewer())
                .get("/api/environments/production/flagd")
                .then()
                .extract()
                .header("ETag");
        as(TestTokens.operator())
                .body(FILE)
                .header("If-Match", current)
                .put("/api/environments/production/flagd")
                .then()
                .statusCode(200);
        as(TestTokens.viewer())
                .get("/api/flags/banner/environments/production")
                .then()
                .body("defaultVariant", equalTo("on"));
    }
}
