package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
        post(TestTokens.cell("reef-test"), "downtime", TestEvents.downtime("i-1", AT, "2026-11-02T10:05:00Z", false))
                .statusCode(200);

        post(TestTokens.cell("reef-test"), "deployments", TestEvents.deployment("i-1", "2026.11.0", "stable", AT, true))
                .statusCode(403);
        post(TestTokens.cell("reef-test"), "releases", TestEvents.release("2026.11.0", AT))
                .statusCode(403);
        post(TestTokens.cell("reef-test"), "incidents", TestEvents.incident("andon-1", "SEV-1", AT, ""))
                .statusCode(403);
        read(TestTokens.cell("reef-test"), "/api/events").statusCode(403);
        read(TestTokens.cell("reef-test"), "/api/dora").statusCode(403);
        assertEquals(1L, TestEvents.count(em, "downtime"));
        assertEquals(0L, TestEvents.count(em, "deployment"));
        assertEquals(0L, TestEvents.count(em, "release"));
    }

    @Test
    void shouldRefuseACellReportingAnotherReefsDowntimeAndStoreNothing() {
        String ofA = inReef(TestEvents.downtime("i-a1", AT, "2026-11-02T10:05:00Z", false), "reef-a");
        String ofB = inReef(TestEvents.downtime("i-b1", AT, "2026-11-02T10:05:00Z", false), "reef-b");

        // One event of another reef refuses the whole batch.
        post(TestTokens.cell("reef-a"), "downtime", "[" + ofA + "," + ofB + "]")
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("The cell of reef 'reef-a'"))
                .body("detail", containsString("not for reef 'reef-b'"));
        // A cell's token that names no reef reports nothing, not even events that name none.
        post(TestTokens.cellWithoutReef(), "downtime", TestEvents.downtime("i-a1", AT, "2026-11-02T10:05:00Z", false))
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("must name its reef in the reefline_reef claim"));
        assertEquals(0L, TestEvents.count(em, "downtime"));

        post(TestTokens.cell("reef-a"), "downtime", ofA).statusCode(200);
        // Only cells are bound to a reef: an operator records any reef's outage.
        post(TestTokens.operator(), "downtime", ofB).statusCode(200);
        assertEquals(2L, TestEvents.count(em, "downtime"));
        // A reef that is not a reef's name is the validation's 400.
        post(
                        TestTokens.cell("reef-a"),
                        "downtime",
                        inReef(TestEvents.downtime("i-a2", AT, "2026-11-02T10:05:00Z", false), "a b"))
                .statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem("reef"));
    }

    private static String inReef(String event, String reef) {
        return event.substring(0, event.length() - 1) + ",\"reef\":\"" + reef + "\"}";
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
