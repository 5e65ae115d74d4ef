package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import org.junit.jupiter.api.Test;

/** Lists answer one shape, and page arithmetic never overflows into a 500. */
@QuarkusTest
class PagingTest {

    @Test
    void shouldAnswerIncidentsAsAPage() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/incidents")
                .then()
                .statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(50))
                .body(
                        "total",
                        equalTo(given().auth()
                                .oauth2(TestTokens.viewer())
                                .get("/api/incidents?size=1000")
                                .then()
                                .extract()
                                .path("items.size()")));
    }

    @Test
    void shouldRefusePagesBeyondTheBoundInsteadOfOverflowing() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/incidents?page=4294968&size=500")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("page"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/incidents?page=0&size=1001")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("size"));
    }
}
