package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GoalsTest {

    private static final String GOALS = "{\"leadTime\":\"PT12H\",\"timeToFix\":\"PT1H\",\"defectEscapeRate\":0.005}";

    @Inject
    EntityManager em;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldStartFromTheTalksGoals() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/goals")
                .then()
                .statusCode(200)
                .header("ETag", "\"goals-0\"")
                .body("leadTime", equalTo("PT24H"))
                .body("timeToFix", equalTo("PT1H"))
                .body("defectEscapeRate", equalTo(0.01f));
    }

    @Test
    void shouldLetOnlyAdminsReplaceTheGoalsAndRefuseStaleWrites() {
        put(TestTokens.operator(), GOALS, null).then().statusCode(403);
        put(TestTokens.admin(), GOALS, "\"goals-0\"")
                .then()
                .statusCode(200)
                .header("ETag", "\"goals-1\"")
                .body("leadTime", equalTo("PT12H"));
        put(TestTokens.admin(), GOALS, "\"goals-0\"").then().statusCode(412).contentType("application/problem+json");
        put(TestTokens.admin(), "{\"leadTime\":\"PT6H\"}", "\"goals-1\"")
                .then()
                .statusCode(200)
                .header("ETag", "\"goals-2\"");
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/goals")
                .then()
                .statusCode(200)
                .header("ETag", "\"goals-2\"")
                .body("leadTime", equalTo("PT6H"))
                .body("timeToFix", equalTo(null));
    }

    @Test
    void shouldRejectGoalsThatAreNotDurationsOrRatios() {
        put(TestTokens.admin(), "{\"leadTime\":\"one day\",\"uptime\":1.5}", null)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("uptime"));
        put(TestTokens.admin(), "{\"leadTime\":\"one day\"}", null)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("leadTime"));
        put(TestTokens.admin(), "[]", null).then().statusCode(400);
    }

    private static io.restassured.response.Response put(String token, String body, String ifMatch) {
        var request =
                given().auth().oauth2(token).contentType("application/json").body(body);
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return request.header("If-Match", "*").put("/api/goals");
    }
}
