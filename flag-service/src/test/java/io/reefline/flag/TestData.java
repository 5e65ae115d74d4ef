package io.reefline.flag;

import static io.restassured.RestAssured.given;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagChangeCounter;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.persistence.ReleasePlanEntity;
import io.reefline.flag.persistence.SdkKeyEntity;
import io.reefline.flag.service.FlagSnapshots;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** Shared set-up of the module's tests: one database, emptied before each test, and flags made through the API. */
final class TestData {

    private TestData() {}

    static void clear() {
        QuarkusTransaction.requiringNew().run(() -> {
            ReleasePlanEntity.deleteAll();
            AuditEntryEntity.deleteAll();
            SdkKeyEntity.deleteAll();
            FlagEnvironmentEntity.deleteAll();
            FlagEntity.deleteAll();
            EnvironmentEntity.deleteAll();
            FlagChangeCounter.bump();
        });
        sync();
    }

    /**
     * Loads committed changes into this replica's snapshots now rather than at the next poll, for tests about
     * evaluation rather than propagation.
     */
    static void sync() {
        Arc.container().instance(FlagSnapshots.class).get().refresh();
    }

    static RequestSpecification as(String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON);
    }

    static void environment(String key, String name) {
        as(TestTokens.admin())
                .body("{\"name\":\"" + name + "\"}")
                .header("If-Match", "*")
                .put("/api/environments/" + key)
                .then()
                .statusCode(201);
    }

    /** Creates a flag with the given type and variants (JSON object text); returns its ETag. */
    static String flag(String key, String type, String variants, String defaultVariant) {
        return as(TestTokens.operator())
                .body("{\"key\":\"" + key + "\",\"name\":\"" + key + "\",\"type\":\"" + type + "\",\"variants\":"
                        + variants + ",\"defaultVariant\":\"" + defaultVariant + "\"}")
                .post("/api/flags")
                .then()
                .statusCode(201)
                .extract()
                .header("ETag");
    }

    /** Configures a flag in an environment with the given request body; returns the new ETag. */
    static String configure(String key, String environment, String body) {
        return as(TestTokens.operator())
                .body(body)
                .header("If-Match", "*")
                .put("/api/flags/" + key + "/environments/" + environment)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
    }

    /** Issues an SDK key for an environment and returns it. */
    static String sdkKey(String environment) {
        return as(TestTokens.admin())
                .body("{\"environment\":\"" + environment + "\"}")
                .post("/api/sdk-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
    }

    /** Evaluates a flag through OFREP with an SDK key. */
    static RequestSpecification ofrep(String sdkKey) {
        return given().header("X-API-Key", sdkKey).contentType(ContentType.JSON);
    }
}
