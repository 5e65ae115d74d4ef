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
    void shouldShowTheDetectionAndTheEvidenceOfAnAutomaticPullReadablyAndEscaped() {
        java.time.Instant impact = java.time.Instant.parse("2026-01-05T10:01:00Z");
        long id = TestData.pull(
                "Canary analysis failed",
                "release:2026.12.1",
                "\"impactStartedAt\":\"" + impact + "\",\"detectedAt\":\"2026-01-05T10:07:30Z\",\"ring\":\"canary\","
                        + "\"evidence\":{\"verdict\":{\"outcome\":\"FAIL\",\"note\":\"<script>alert(1)</script>\"},"
                        + "\"metrics\":[{\"metric\":\"error-rate\",\"outcome\":\"FAIL\","
                        + "\"canary\":{\"samples\":24,\"median\":0.081},\"pValue\":0.00002},"
                        + "{\"metric\":\"latency\",\"outcome\":\"PASS\",\"pValue\":0.41}],"
                        + "\"canaryInstances\":[\"i-0001\",\"i-0002\"]}");
        String html = page(TestTokens.viewer())
                .get("/ui/andon")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        org.hamcrest.MatcherAssert.assertThat(
                html,
                containsString("<span class=\"muted detection\" id=\"detection-" + id + "\">impact since 2026-01-05"
                        + " 10:01:00 UTC, detected at 2026-01-05 10:07:30 UTC (6 min 30 s later), ring canary</span>"));
        String evidence = html.substring(html.indexOf("id=\"evidence-" + id + "\""));
        evidence = evidence.substring(0, evidence.indexOf("</details>"));
        String flat = evidence.replaceAll(">\\s+<", "><");
        org.hamcrest.MatcherAssert.assertThat(flat, containsString("<dt>verdict.outcome</dt><dd>FAIL</dd>"));
        org.hamcrest.MatcherAssert.assertThat(
                flat, containsString("<dt>verdict.note</dt><dd>&lt;script&gt;alert(1)&lt;/script&gt;</dd>"));
        org.hamcrest.MatcherAssert.assertThat(
                flat,
                containsString("<dt>metrics</dt><dd><table><thead><tr><th>metric</th><th>outcome</th><th>canary</th>"
                        + "<th>pValue</th></tr></thead><tbody>"
                        + "<tr><td>error-rate</td><td>FAIL</td><td>samples 24 · median 0.081</td><td>2.0E-5</td></tr>"
                        + "<tr><td>latency</td><td>PASS</td><td></td><td>0.41</td></tr></tbody></table></dd>"));
        org.hamcrest.MatcherAssert.assertThat(flat, containsString("<dt>canaryInstances</dt><dd>i-0001, i-0002</dd>"));
        org.hamcrest.MatcherAssert.assertThat(html, not(containsString("<script>alert(1)")));
        org.hamcrest.MatcherAssert.assertThat(evidence, not(containsString("style=")));
    }

    @Test
    void shouldShowNoDetectionLineForAPersonsPull() {
        long id = TestData.pull("Checkout looks odd");
        page(TestTokens.viewer())
                .get("/ui/andon")
                .then()
                .statusCode(200)
                .body(containsString("id=\"cord-" + id + "\""))
                .body(not(containsString("id=\"detection-" + id + "\"")))
                .body(not(containsString("id=\"evidence-" + id + "\"")));
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
