package io.reefline.flag;

import static io.reefline.flag.TestData.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.testing.TestTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FlagApiTest {

    private static final String BOOLEAN_VARIANTS = "{\"on\":true,\"off\":false}";

    @BeforeEach
    void emptyTables() {
        TestData.clear();
        TestData.environment("staging", "Branch Instances (Staging)");
        TestData.environment("production", "Production");
    }

    @Test
    void shouldRequireTokensAndRoles() {
        given().get("/api/flags").then().statusCode(401).contentType("application/problem+json");
        as(TestTokens.viewer())
                .body("{\"key\":\"x\",\"name\":\"x\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                        + "\"defaultVariant\":\"on\"}")
                .post("/api/flags")
                .then()
                .statusCode(403);
        as(TestTokens.operator())
                .body("{\"name\":\"Dev\"}")
                .header("If-Match", "*")
                .put("/api/environments/dev")
                .then()
                .statusCode(403);
        as(TestTokens.operator())
                .body("{\"environment\":\"staging\"}")
                .post("/api/sdk-keys")
                .then()
                .statusCode(403);
    }

    @Test
    void shouldListEnvironmentsAndRenameOne() {
        as(TestTokens.admin())
                .body("{\"name\":\"Prod\"}")
                .header("If-Match", "*")
                .put("/api/environments/production")
                .then()
                .statusCode(200);
        as(TestTokens.viewer())
                .get("/api/environments")
                .then()
                .statusCode(200)
                .body("key", contains("production", "staging"))
                .body("name", contains("Prod", "Branch Instances (Staging)"));
        as(TestTokens.admin())
                .body("{\"name\":\"\"}")
                .header("If-Match", "*")
                .put("/api/environments/qa")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("name"));
    }

    @Test
    void shouldCreateFlagDisabledInEveryEnvironmentAndAuditIt() {
        as(TestTokens.operator())
                .body("""
                        {"key":"new-task-log","name":"New task log","notes":"# Why\\nFaster logs","type":"boolean",
                         "variants":{"on":true,"off":false},"defaultVariant":"off","expectedRemoval":"2030-01-31"}
                        """)
                .post("/api/flags")
                .then()
                .statusCode(201)
                .header("ETag", equalTo("\"flag-0\""))
                .header("Location", containsString("/api/flags/new-task-log"))
                .body("owner", equalTo("otto.operator"))
                .body("environments.environment", contains("production", "staging"))
                .body("environments.enabled", contains(false, false));
        as(TestTokens.viewer())
                .get("/api/flags/new-task-log/audit")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("create"))
                .body("items[0].actor", equalTo("otto.operator"))
                .body("items[0].after.defaultVariant", equalTo("off"));
    }

    @Test
    void shouldRefuseDuplicateKeyWithConflict() {
        TestData.flag("dup", "boolean", BOOLEAN_VARIANTS, "off");
        as(TestTokens.operator())
                .body("{\"key\":\"dup\",\"name\":\"again\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                        + "\"defaultVariant\":\"on\"}")
                .post("/api/flags")
                .then()
                .statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void shouldNameTheFieldOfInvalidFlags() {
        as(TestTokens.operator())
                .body("{\"key\":\"bad key!\",\"name\":\"x\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                        + "\"defaultVariant\":\"on\"}")
                .post("/api/flags")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("key"));
        as(TestTokens.operator())
                .body("{\"key\":\"k\",\"name\":\"x\",\"type\":\"number\",\"variants\":{\"a\":1.5,\"b\":\"two\"},"
                        + "\"defaultVariant\":\"a\"}")
                .post("/api/flags")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("variants.b"));
        as(TestTokens.operator())
                .body("{\"key\":\"k\",\"name\":\"x\",\"type\":\"boolean\",\"variants\":{\"on\":true},"
                        + "\"defaultVariant\":\"off\"}")
                .post("/api/flags")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("defaultVariant"));
        as(TestTokens.operator())
                .body("{\"key\":\"k\",\"type\":\"boolean\",\"variants\":{\"on\":true},\"defaultVariant\":\"on\"}")
                .post("/api/flags")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("name"));
        as(TestTokens.operator()).body("{\"key\":").post("/api/flags").then().statusCode(400);
        as(TestTokens.viewer()).get("/api/flags/k").then().statusCode(404);
    }

    @Test
    void shouldRefuseStaleWriteWith412AndKeepTheNewerOne() {
        String etag = TestData.flag("banner", "string", "{\"a\":\"A\",\"b\":\"B\"}", "a");
        String body = "{\"name\":\"%s\",\"type\":\"string\",\"variants\":{\"a\":\"A\",\"b\":\"B\"},"
                + "\"defaultVariant\":\"a\"}";
        String newer = as(TestTokens.operator())
                .header("If-Match", etag)
                .body(body.formatted("Banner v2"))
                .put("/api/flags/banner")
                .then()
                .statusCode(200)
                .header("ETag", equalTo("\"flag-1\""))
                .extract()
                .header("ETag");
        as(TestTokens.operator())
                .header("If-Match", etag)
                .body(body.formatted("Lost update"))
                .put("/api/flags/banner")
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString(newer));
        as(TestTokens.viewer()).get("/api/flags/banner").then().body("name", equalTo("Banner v2"));

        String configEtag = TestData.configure("banner", "staging", "{\"enabled\":true,\"defaultVariant\":\"b\"}");
        TestData.configure("banner", "staging", "{\"enabled\":true,\"defaultVariant\":\"a\"}");
        as(TestTokens.operator())
                .header("If-Match", configEtag)
                .post("/api/flags/banner/environments/staging/disable")
                .then()
                .statusCode(412);
    }

    @Test
    void shouldWriteOneAuditRowPerChangeWithWhoBeforeAndAfter() {
        String etag = TestData.flag("audited", "boolean", BOOLEAN_VARIANTS, "off");
        as(TestTokens.operator())
                .header("If-Match", etag)
                .body("{\"name\":\"Audited\",\"type\":\"boolean\",\"variants\":{\"on\":true,\"off\":false},"
                        + "\"defaultVariant\":\"off\",\"owner\":\"team-logs\"}")
                .put("/api/flags/audited")
                .then()
                .statusCode(200);
        TestData.configure("audited", "production", """
                {"enabled":true,"defaultVariant":"off",
                 "structured":{"included":{"mode":"list","tenants":["acme","globex"]},"includedVariant":"on"}}
                """);
        as(TestTokens.token("ola.oncall", "operator"))
                .body("{\"tenant\":\"globex\"}")
                .header("If-Match", "*")
                .post("/api/flags/audited/environments/production/exclusions")
                .then()
                .statusCode(200)
                .body("targeting.excludedTenants", contains("globex"));
        as(TestTokens.operator())
                .header("If-Match", "*")
                .post("/api/flags/audited/environments/production/disable")
                .then()
                .statusCode(200);
        // A refused change leaves no row.
        as(TestTokens.operator())
                .body("{\"enabled\":true,\"defaultVariant\":\"maybe\"}")
                .header("If-Match", "*")
                .put("/api/flags/audited/environments/production")
                .then()
                .statusCode(400);

        as(TestTokens.viewer())
                .get("/api/flags/audited/audit")
                .then()
                .statusCode(200)
                .body("items.action", contains("disable", "exclude-tenant", "configure", "update", "create"))
                .body("items[0].environment", equalTo("production"))
                .body("items[0].before.enabled", equalTo(true))
                .body("items[0].after.enabled", equalTo(false))
                .body("items[1].actor", equalTo("ola.oncall"))
                .body("items[1].after.targeting.excludedTenants", contains("globex"))
                .body("items[3].before.owner", equalTo("otto.operator"))
                .body("items[3].after.owner", equalTo("team-logs"))
                .body("items[4].before", nullValue());
        long rows = QuarkusTransaction.requiringNew().call(() -> AuditEntryEntity.count("flagKey", "audited"));
        org.junit.jupiter.api.Assertions.assertEquals(5, rows);
    }

    @Test
    void shouldRejectBadTargetingNamingThePath() {
        TestData.flag("targeted", "boolean", BOOLEAN_VARIANTS, "off");
        as(TestTokens.operator())
                .body(
                        "{\"enabled\":true,\"defaultVariant\":\"off\",\"jsonLogic\":{\"if\":[{\"nope\":[1]},\"on\",null]}}")
                .header("If-Match", "*")
                .put("/api/flags/targeted/environments/staging")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("jsonLogic/if/0/nope"));
        as(TestTokens.operator())
                .body("""
                        {"enabled":true,"defaultVariant":"off",
                         "structured":{"included":{"mode":"percentage","percent":120},"includedVariant":"on"}}
                        """)
                .header("If-Match", "*")
                .put("/api/flags/targeted/environments/staging")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("structured.included.percent"));
        as(TestTokens.operator())
                .body("""
                        {"enabled":true,"defaultVariant":"off",
                         "structured":{"included":{"mode":"all"},"includedVariant":"sometimes"}}
                        """)
                .header("If-Match", "*")
                .put("/api/flags/targeted/environments/staging")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("structured.includedVariant"));
        as(TestTokens.operator())
                .body("""
                        {"enabled":true,"defaultVariant":"off","structured":{"included":{"mode":"all"},
                         "includedVariant":"on","rules":[{"variant":"on","segments":[{"name":"new",
                         "conditions":[{"attribute":"version","operator":"SEMVER_GREATER_THAN","values":["x.y"]}]}]}]}}
                        """)
                .header("If-Match", "*")
                .put("/api/flags/targeted/environments/staging")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("structured.rules[0].segments[0].conditions[0].values"));
        as(TestTokens.viewer()).get("/api/flags/targeted/audit").then().body("items.action", contains("create"));
        as(TestTokens.operator())
                .body("{\"tenant\":\"acme\"}")
                .header("If-Match", "*")
                .post("/api/flags/targeted/environments/staging/exclusions")
                .then()
                .statusCode(409);
    }

    @Test
    void shouldReportFlagsUniformEverywhereForLongOrPastRemoval() {
        TestData.flag("old-and-on", "boolean", BOOLEAN_VARIANTS, "on");
        TestData.flag("still-ramping", "boolean", BOOLEAN_VARIANTS, "off");
        TestData.configure("still-ramping", "production", """
                {"enabled":true,"defaultVariant":"off",
                 "structured":{"included":{"mode":"percentage","percent":20},"includedVariant":"on"}}
                """);
        as(TestTokens.operator())
                .body("{\"key\":\"overdue\",\"name\":\"Overdue\",\"type\":\"boolean\",\"variants\":{\"on\":true,"
                        + "\"off\":false},\"defaultVariant\":\"on\",\"expectedRemoval\":\"2020-01-01\"}")
                .post("/api/flags")
                .then()
                .statusCode(201);
        Instant longAgo = Instant.now().minus(90, ChronoUnit.DAYS);
        QuarkusTransaction.requiringNew()
                .run(() -> FlagEnvironmentEntity.update("uniformSince = ?1 where uniformSince is not null", longAgo));

        as(TestTokens.viewer())
                .get("/api/flags/stale?days=30")
                .then()
                .statusCode(200)
                .body("key", contains("old-and-on", "overdue"))
                .body("[1].reasons", hasItem(containsString("expected removal")));
        as(TestTokens.viewer()).get("/api/flags/stale?days=365").then().body("key", contains("overdue"));
        as(TestTokens.viewer()).get("/api/flags/stale?days=-1").then().statusCode(400);
    }

    @Test
    void shouldIssueSdkKeyOnceAndStoreOnlyItsHash() {
        String key = TestData.sdkKey("production");
        org.junit.jupiter.api.Assertions.assertTrue(key.startsWith("rfl_"));
        as(TestTokens.admin())
                .get("/api/sdk-keys")
                .then()
                .statusCode(200)
                .body("[0].environment", equalTo("production"))
                .body("[0].prefix", equalTo(key.substring(0, 12)))
                .body("[0].key", nullValue());
        as(TestTokens.admin())
                .body("{\"environment\":\"nowhere\"}")
                .post("/api/sdk-keys")
                .then()
                .statusCode(404);
    }
}
