package io.reefline.flag;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class FlagPageTest {

    @BeforeEach
    void setUp() {
        TestData.clear();
        TestData.environment("staging", "Staging");
        TestData.flag("dark-mode", "boolean", "{\"on\":true,\"off\":false}", "off");
    }

    @Test
    void shouldSendAnonymousPeopleToSignIn() {
        given().redirects()
                .follow(false)
                .accept("text/html")
                .get("/ui/flags")
                .then()
                .statusCode(303)
                .header("Location", containsString("/signin"));
    }

    @Test
    void shouldShowViewersTheTableWithoutTheEditor() {
        page(TestTokens.viewer())
                .get("/ui/flags")
                .then()
                .statusCode(200)
                .body(containsString("status-dark-mode-staging"))
                .body(containsString("OFF"));
        page(TestTokens.viewer())
                .get("/ui/flags/dark-mode")
                .then()
                .statusCode(200)
                .body(not(containsString("form-staging")))
                .body(containsString("create"));
    }

    @Test
    void shouldRefuseViewerPostsAndStaleForms() {
        page(TestTokens.viewer())
                .formParam("enabled", "on")
                .formParam("defaultVariant", "on")
                .formParam("mode", "none")
                .post("/ui/flags/dark-mode/environments/staging")
                .then()
                .statusCode(403);
        page(TestTokens.operator())
                .formParam("enabled", "on")
                .formParam("defaultVariant", "on")
                .formParam("mode", "none")
                .formParam("etag", "env-0-99")
                .post("/ui/flags/dark-mode/environments/staging")
                .then()
                .statusCode(412)
                .body(containsString("changed by someone else"));
        page(TestTokens.operator())
                .formParam("enabled", "on")
                .formParam("defaultVariant", "on")
                .formParam("mode", "percentage")
                .formParam("percent", "abc")
                .formParam("includedVariant", "on")
                .post("/ui/flags/dark-mode/environments/staging")
                .then()
                .statusCode(400)
                .body(containsString("percent"));
    }

    @Test
    void shouldRefuseAnEmptyEditorFormAndKeepTheTargeting() {
        String etag = TestData.configure(
                "dark-mode",
                "staging",
                "{\"enabled\":true,\"defaultVariant\":\"off\",\"structured\":{\"included\":"
                        + "{\"mode\":\"list\",\"tenants\":[\"acme\"]},\"includedVariant\":\"on\"}}");

        page(TestTokens.operator())
                .contentType("application/x-www-form-urlencoded")
                .post("/ui/flags/dark-mode/environments/staging")
                .then()
                .statusCode(400)
                .contentType("text/html")
                .body(containsString("defaultVariant"));

        TestData.as(TestTokens.viewer())
                .get("/api/flags/dark-mode/environments/staging")
                .then()
                .statusCode(200)
                .header("ETag", equalTo(etag))
                .body("defaultVariant", equalTo("off"))
                .body("enabled", equalTo(true))
                .body("targetingKind", equalTo("structured"))
                .body("targeting.included.tenants", hasItem("acme"));
    }

    /** A request from the flag pages themselves, with the sign-in cookie. */
    private static RequestSpecification page(String token) {
        return given().cookie("reefline_token", token).header("Origin", "http://localhost:" + RestAssured.port);
    }
}
