package io.reefline.andon;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.andon.persistence.CellHeartbeatEntity;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/** Shared set-up of the module's tests: one database, emptied before each test. */
final class TestData {

    private TestData() {}

    static void clear() {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity.deleteAll();
            WebhookEntity.deleteAll();
            CordTransitionEntity.deleteAll();
            CordEntity.deleteAll();
            OutboxMessage.deleteAll();
            CellHeartbeatEntity.deleteAll();
        });
    }

    /** Pulls a cord as a viewer and returns its id. */
    static long pull(String reason, String scope, String extraJson) {
        return RestAssured.given()
                .auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"" + reason + "\",\"category\":\"doesnt-look-right\",\"scope\":\"" + scope + "\""
                        + (extraJson.isEmpty() ? "" : "," + extraJson) + "}")
                .when()
                .post("/api/cords")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getLong("id");
    }

    static long pull(String reason) {
        return pull(reason, "global", "");
    }
}
