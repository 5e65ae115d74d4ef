package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The page's server side: what each role sees and may post. The browser test drives the same page in Chromium. */
@QuarkusTest
class AndonPageTest {

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    @Test
    void shouldSendAPersonWithoutTokenToSignIn() {
        given().redirects()
                .follow(false)
                .accept("text/html")
                .get("/ui/andon")
                .then()
                .statusCode(303)
                .header("Location", containsString("/signin?next=%2Fui%2Fandon"));
    }

    @Test
    void shouldShowHealthyTheListAndCountsToAViewer() {
        long resolved = TestData.pull("Old problem");
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType("application/json")
                .body("{\"resolution\":\"Fixed long ago\"}")
                .header("If-Match", "*")
                .post("/api/cords/" + resolved + "/resolve")
                .then()
                .statusCode(200);
        page(TestTokens.viewer())
                .get("/ui/andon")
                .then()
                .statusCode(200)
                .body(containsString("Healthy"))
                .body(containsString("The release pipeline will continue to move forward."))
                .body(containsString("Who can pull the Andon Cord?"))
                .body(containsString("Something in the product doesn't look or feel right."))
                .body(containsString("Open (0)"))
                .body(containsString("No open problems."))
                .body(containsString("Resolved / Closed (1)"))
                .body(containsString("Fixed long ago"))
                .body(not(containsString("/reopen")));
    }

    @Test
    void shouldPullThroughTheFormAndRedirectBack() {
        page(TestTokens.viewer())
                .redirects()
                .follow(false)
                .formParam("reason", "Login <script>alert(1)</script> looks broken")
                .formParam("category", "doesnt-look-right")
                .formParam("severity", "SEV-1")
                .formParam("scope", "reef:reef-eu-1")
                .post("/ui/andon/pull")
                .then()
                .statusCode(303)
                .header("Location", endsWith("/ui/andon"));
        page(TestTokens.viewer())
                .get("/ui/andon")
                .then()
                .body(containsString("data-state=\"STOPPED\""))
                .body(containsString("1 open problem hold"))
                .body(containsString("Login &lt;script&gt;alert(1)&lt;/script&gt; looks broken"))
                .body(not(containsString("/resolve\"")));
        page(TestTokens.operator()).get("/ui/andon").then().body(containsString("/resolve\""));
    }

    @Test
    void shouldShowTheRefusalAndStoreNothingForAnInvalidPull() {
        page(TestTokens.viewer())
                .formParam("reason", "  ")
                .formParam("category", "bored")
                .formParam("scope", "cluster:x")
                .post("/ui/andon/pull")
                .then()
                .statusCode(400)
                .body(containsString("role=\"alert\""))
                .body(containsString("reason: must not be blank"))
                .body(containsString("scope: must be global"));
        QuarkusTransaction.requiringNew().run(() -> assertEquals(0, CordEntity.count()));
    }

    @Test
    void shouldNeverLetAViewerResolveThroughThePage() {
        long id = TestData.pull("Cannot deploy");
        page(TestTokens.viewer())
                .formParam("resolution", "I say it is fine")
                .post("/ui/andon/cords/" + id + "/resolve")
                .then()
                .statusCode(403);
        page(TestTokens.operator())
                .redirects()
                .follow(false)
                .formParam("resolution", "Deploys work again")
                .formParam("fixVersion", "2026.11.4")
                .post("/ui/andon/cords/" + id + "/resolve")
                .then()
                .statusCode(303);
        QuarkusTransaction.requiringNew()
                .run(() -> assertEquals(
                        "RESOLVED", CordEntity.<CordEntity>findById(id).state.name()));
    }

    @Test
    void shouldRefuseAPullPostedFromAnotherSite() {
        // A page on another site posting the pull form in a signed-in viewer's name: the cookie goes along, the
        // Origin names the other site.
        crossSite(TestTokens.viewer())
                .header("Origin", "https://attacker.example")
                .formParam("reason", "Stop the line")
                .formParam("category", "other")
                .formParam("scope", "global")
                .post("/ui/andon/pull")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body(containsString("Origin"));
        // Without Origin, the Referer decides; neither at all is refused too.
        crossSite(TestTokens.viewer())
                .header("Referer", "https://attacker.example/page.html")
                .formParam("reason", "Stop the line")
                .formParam("category", "other")
                .formParam("scope", "global")
                .post("/ui/andon/pull")
                .then()
                .statusCode(403);
        crossSite(TestTokens.viewer())
                .formParam("reason", "Stop the line")
                .formParam("category", "other")
                .formParam("scope", "global")
                .post("/ui/andon/pull")
                .then()
                .statusCode(403);
        // The same host on another port is another origin.
        crossSite(TestTokens.viewer())
                .header("Origin", "http://localhost:1")
                .formParam("reason", "Stop the line")
                .formParam("category", "other")
                .formParam("scope", "global")
                .post("/ui/andon/pull")
                .then()
                .statusCode(403);
        QuarkusTransaction.requiringNew().run(() -> assertEquals(0, CordEntity.count()));
        // The page's own Referer is enough when a browser sends no Origin.
        crossSite(TestTokens.viewer())
                .redirects()
                .follow(false)
                .header("Referer", ownOrigin() + "/ui/andon")
                .formParam("reason", "Stop the line")
                .formParam("category", "other")
                .formParam("scope", "global")
                .post("/ui/andon/pull")
                .then()
                .statusCode(303);
        QuarkusTransaction.requiringNew().run(() -> assertEquals(1, CordEntity.count()));
    }

    @Test
    void shouldTakeApiChangesOnlyWithABearerToken() {
        // The sign-in cookie reads what the pages link to, but changes nothing through the API, whatever the Origin.
        given().cookie("reefline_token", TestTokens.viewer())
                .header("Origin", ownOrigin())
                .contentType("application/json")
                .body("{\"reason\":\"Stop the line\",\"category\":\"other\",\"scope\":\"global\"}")
                .post("/api/cords")
                .then()
                .statusCode(401)
                .contentType("application/problem+json");
        QuarkusTransaction.requiringNew().run(() -> assertEquals(0, CordEntity.count()));
        given().cookie("reefline_token", TestTokens.viewer())
                .get("/api/status")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType("application/json")
                .body("{\"reason\":\"Stop the line\",\"category\":\"other\",\"scope\":\"global\"}")
                .post("/api/cords")
                .then()
                .statusCode(201);
    }

    @Test
    void shouldSendPagesWithAPolicyThatForbidsFramingAndForeignScripts() {
        page(TestTokens.viewer())
                .get("/ui/andon")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", containsString("form-action 'self'"))
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "same-origin")
                .header("X-Content-Type-Options", "nosniff");
        given().get("/signin")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("default-src 'self'"))
                .header("X-Frame-Options", "DENY");
        given().get("/api/status").then().statusCode(401).header("X-Content-Type-Options", "nosniff");
    }

    private static RequestSpecification page(String token) {
        return crossSite(token).header("Origin", ownOrigin());
    }

    /** A request with the sign-in cookie and no Origin of its own. */
    private static RequestSpecification crossSite(String token) {
        return given().cookie("reefline_token", token).accept("text/html");
    }

    private static String ownOrigin() {
        return "http://localhost:" + RestAssured.port;
    }
}
