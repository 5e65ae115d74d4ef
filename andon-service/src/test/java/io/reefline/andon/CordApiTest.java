package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class CordApiTest {

    @BeforeEach
    void emptyTables() {
        QuarkusTransaction.requiringNew().run(() -> {
            CordTransitionEntity.deleteAll();
            CordEntity.deleteAll();
            OutboxMessage.deleteAll();
        });
    }

    @Test
    void shouldRejectApiCallsWithoutToken() {
        given().when()
                .get("/api/status")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
    }

    @Test
    void shouldRejectTokenSignedByAnotherKey() {
        String forged = io.reefline.sandbox.LocalKeys.signToken(
                io.reefline.sandbox.LocalKeys.generate().getPrivate(),
                io.reefline.sandbox.LocalKeys.DEFAULT_ISSUER,
                "mallory",
                java.util.List.of("admin"),
                java.time.Duration.ofMinutes(5));
        given().auth().oauth2(forged).when().get("/api/status").then().statusCode(401);
    }

    @Test
    void shouldForbidViewerFromAdminOperation() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/outbox")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("role"));
        given().auth()
                .oauth2(TestTokens.admin())
                .when()
                .get("/api/outbox")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldStopTheLineWhenViewerPullsCord() {
        String location = given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("""
                        {"reason":"Deployments to reef-eu-1 time out","category":"cant-deploy",
                         "severity":"SEV-1","scope":"release:2026.11.3","pulledBy":"somebody-else"}
                        """)
                .when()
                .post("/api/cords")
                .then()
                .statusCode(201)
                .header("ETag", notNullValue())
                .body("state", equalTo("open"))
                .body("pulledBy", equalTo("vera.viewer"))
                .body("suspectedRelease", equalTo("2026.11.3"))
                .body("history[0].action", equalTo("pull"))
                .extract()
                .header("Location");

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get(location)
                .then()
                .statusCode(200)
                .body("reason", equalTo("Deployments to reef-eu-1 time out"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/status")
                .then()
                .statusCode(200)
                .body("state", equalTo("STOPPED"))
                .body("openCords", hasSize(1));
        // The incident for metrics-service waits in the outbox, written in the same transaction.
        given().auth()
                .oauth2(TestTokens.admin())
                .when()
                .get("/api/outbox")
                .then()
                .body("waiting.destination", hasItem("metrics"))
                .body("waiting.path", hasItem("/api/events/incidents"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing reason       | {\"category\":\"other\",\"scope\":\"global\"}                          | reason",
                "unknown category     | {\"reason\":\"r\",\"category\":\"bored\",\"scope\":\"global\"}          | category",
                "unknown scope        | {\"reason\":\"r\",\"category\":\"other\",\"scope\":\"cluster:x\"}       | scope",
                "unknown severity     | {\"reason\":\"r\",\"category\":\"other\",\"scope\":\"global\",\"severity\":\"SEV-9\"} | severity",
                "links of wrong type  | {\"reason\":\"r\",\"category\":\"other\",\"scope\":\"global\",\"links\":5} | links",
                "reason of wrong type | {\"reason\":{\"a\":1},\"category\":\"other\",\"scope\":\"global\"}      | reason",
            })
    void shouldRejectInvalidPullNamingTheFieldAndStoreNothing(String name, String body, String field) {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/cords")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field));
        assertNothingStored();
    }

    @Test
    void shouldRejectMalformedJson() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"reason\": \"half a body\",")
                .when()
                .post("/api/cords")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("title", equalTo("Malformed JSON"));
        assertNothingStored();
    }

    @Test
    void shouldRejectOverlongReason() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"" + "x".repeat(2001) + "\",\"category\":\"other\",\"scope\":\"global\"}")
                .when()
                .post("/api/cords")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("reason"));
        assertNothingStored();
    }

    @Test
    void shouldAnswerUnknownCordWithNotFoundProblem() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords/987654")
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("987654"));
    }

    private static void assertNothingStored() {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, CordTransitionEntity.count(), "transitions");
            assertEquals(0, OutboxMessage.count(), "outbox messages");
        });
    }
}
