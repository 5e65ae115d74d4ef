package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The narrow roles: a CI job (publisher) sends what a release pipeline knows, a reef's cell forwards its sidecars'
 * downtime, and neither can forge other events or read anyone's numbers.
 */
@QuarkusTest
class EventRolesTest {

    private static final String AT = "2026-11-02T10:00:00Z";

    @Inject
    EntityManager em;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldLetAPublisherSendCommitsReleasesAndDeploymentsOnly() {
        post(TestTokens.publisher(), "commits", TestEvents.commit("a1b2c3d", AT))
                .statusCode(200);
        post(TestTokens.publisher(), "releases", TestEvents.release("2026.11.0", AT, "a1b2c3d"))
                .statusCode(200);
        post(TestTokens.publisher(), "deployments", TestEvents.deployment("i-1", "2026.11.0", "stable", AT, true))
                .statusCode(200);

        post(TestTokens.publisher(), "incidents", TestEvents.incident("andon-1", "SEV-1", AT, ""))
                .statusCode(403);
        post(TestTokens.publisher(), "downtime", TestEvents.downtime("i-1", AT, "2026-11-02T10:05:00Z", false))
                .statusCode(403);
        read(TestTokens.publisher(), "/api/events").statusCode(403);
        read(TestTokens.publisher(), "/api/dora").statusCode(403);
        assertEquals(0L, TestEvents.count(em, "incident"));
        assertEquals(0L, TestEvents.count(em, "downtime"));
    }

    @Test
    void shouldLetACellForwardDowntimeOnly() {
        post(TestTokens.cell(), "downtime", TestEvents.downtime("i-1", AT, "2026-11-02T10:05:00Z", false))
                .statusCode(200);

        post(TestTokens.cell(), "deployments", TestEvents.deployment("i-1", "2026.11.0", "stable", AT, true))
                .statusCode(403);
        post(TestTokens.cell(), "releases", TestEvents.release("2026.11.0", AT)).statusCode(403);
        post(TestTokens.cell(), "incidents", TestEvents.incident("andon-1", "SEV-1", AT, ""))
                .statusCode(403);
        read(TestTokens.cell(), "/api/events").statusCode(403);
        read(TestTokens.cell(), "/api/dora").statusCode(403);
        assertEquals(1L, TestEvents.count(em, "downtime"));
        assertEquals(0L, TestEvents.count(em, "deployment"));
        assertEquals(0L, TestEvents.count(em, "release"));
    }

    private static ValidatableResponse post(String token, String kind, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/events/" + kind)
                .then();
    }

    private static ValidatableResponse read(String token, String path) {
        return given().auth().oauth2(token).when().get(path).then();
    }
}
