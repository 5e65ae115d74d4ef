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
        TestData.clear();
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
    void shouldRejectTokenIssuedForAnotherAudience() {
        // The trusted key, the right issuer and an admin role: only the audience names another application.
        String forAnotherApp = TestTokens.forAudience("another-app", "ada.admin", "admin");
        given().auth().oauth2(forAnotherApp).when().get("/api/status").then().statusCode(401);
        given().redirects()
                .follow(false)
                .cookie("reefline_token", forAnotherApp)
                .accept("text/html")
                .when()
                .get("/ui/andon")
                .then()
                .statusCode(303);
        given().auth()
                .oauth2(TestTokens.admin())
                .when()
                .get("/api/status")
                .then()
                .statusCode(200);
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

    @Test
    void shouldRejectOversizedBodyWithProblemAndStoreNothing() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"" + "x".repeat(70 * 1024) + "\",\"category\":\"other\",\"scope\":\"global\"}")
                .when()
                .post("/api/cords")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("status", equalTo(413))
                .body("detail", containsString("65536"));
        assertNothingStored();
    }

    @Test
    void shouldRejectUnknownStateFilter() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?state=pending")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("state"));
    }

    @Test
    void shouldAnswerResolveOfUnknownCordWithNotFoundProblem() {
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"fixed\"}")
                .when()
                .header("If-Match", "*")
                .post("/api/cords/987654/resolve")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
        assertNothingStored();
    }

    @Test
    void shouldForbidViewerToResolveAndChangeNothing() {
        long id = TestData.pull("Login page is blank");
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"looks fine to me\"}")
                .when()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/resolve")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        for (String action : new String[] {"close", "reopen"}) {
            given().auth()
                    .oauth2(TestTokens.viewer())
                    .when()
                    .post("/api/cords/" + id + "/" + action)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        assertOnlyThePull(id);
    }

    @Test
    void shouldRequireIfMatchToResolveCloseOrReopenAndChangeNothingWithout() {
        long id = TestData.pull("Checkout answers 502");
        for (String action : new String[] {"resolve", "close", "reopen"}) {
            given().auth()
                    .oauth2(TestTokens.operator())
                    .contentType(ContentType.JSON)
                    .body("{\"resolution\":\"rolled forward\"}")
                    .when()
                    .post("/api/cords/" + id + "/" + action)
                    .then()
                    .statusCode(428)
                    .contentType("application/problem+json")
                    .body("detail", containsString("If-Match"));
        }
        assertOnlyThePull(id);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing resolution        | {\"fixVersion\":\"2026.11.4\"}                 | resolution",
                "resolution of wrong type  | {\"resolution\":[1,2]}                          | resolution",
                "fix version not a version | {\"resolution\":\"r\",\"fixVersion\":\"a b\"} | fixVersion",
            })
    void shouldRejectInvalidResolveAndChangeNothing(String name, String body, String field) {
        long id = TestData.pull("Upgrades of reef-us-2 hang");
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/resolve")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem(field));
        assertOnlyThePull(id);
    }

    @Test
    void shouldRejectNonNumericCordIdWithProblem() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords/abc")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    private static void assertOnlyThePull(long id) {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals("OPEN", CordEntity.<CordEntity>findById(id).state.name());
            assertEquals(1, CordTransitionEntity.count(), "transitions");
            assertEquals(1, OutboxMessage.count(), "outbox messages");
        });
    }

    private static void assertNothingStored() {
        QuarkusTransaction.requiringNew().run(() -> {
            assertEquals(0, CordEntity.count(), "cords");
            assertEquals(0, CordTransitionEntity.count(), "transitions");
            assertEquals(0, OutboxMessage.count(), "outbox messages");
        });
    }
}
