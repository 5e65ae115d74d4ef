package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.testing.TestTokens;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class ReefApiTest {

    @KubernetesTestServer
    KubernetesServer kubernetes;

    @Test
    void shouldListReefWithItsApiState() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/reefs")
                .then()
                .statusCode(200)
                .body("", hasSize(1))
                .body("[0].name", equalTo("local"))
                .body("[0].state", equalTo("reachable"));
    }

    @Test
    void shouldBeReadyAndNameEachReefsStateInTheDetails() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/reefs")
                .then()
                .statusCode(200);
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'Reefs' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Reefs' }.data.local", equalTo("reachable"))
                .body("checks.find { it.name == 'Reefs' }.data.'unreachable reefs'", equalTo(0));
    }

    @Test
    void shouldReuseRecentProbeInsteadOfAskingReefOnEveryCall() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/reefs")
                .then()
                .statusCode(200);
        int requestsBefore = kubernetes.getKubernetesMockServer().getRequestCount();
        given().when().get("/q/health/ready").then().statusCode(200);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/reefs")
                .then()
                .statusCode(200)
                .body("[0].state", equalTo("reachable"));
        assertEquals(
                requestsBefore,
                kubernetes.getKubernetesMockServer().getRequestCount(),
                "requests to the reef's API within the probe age");
    }

    @Test
    void shouldRequireTokenForReefs() {
        given().when().get("/api/reefs").then().statusCode(401);
    }

    @Test
    void shouldShowReefsOnPageWithSharedLayout() {
        given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(containsString("href=\"/reefline/console.css\""))
                .body(containsString("<td><strong>local</strong></td>"))
                .body(containsString("vera.viewer"));
    }

    @Test
    void shouldSendSignedOutPersonToSignIn() {
        given().redirects()
                .follow(false)
                .accept("text/html")
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(303)
                .header("Location", containsString("/signin?next=%2Fui%2Freleases"));
    }
}
