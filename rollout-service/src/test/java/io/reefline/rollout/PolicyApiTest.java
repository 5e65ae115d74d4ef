package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class PolicyApiTest {

    /** The sandbox policy of the README: minutes instead of days. */
    static final String MINUTE_SCALE = """
            {"rings":[
              {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT2M","deadline":"PT10M","windowsApply":false},
              {"name":"Canary","selector":{"type":"percentage","percent":5},"soak":"PT3M","deadline":"PT30M"},
              {"name":"Stable","selector":{"type":"remainder"},"soak":"PT1M","deadline":"PT2H"},
              {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"PT2H"}],
             "inFlightLimitPerReef":10,"expectedUpgrade":"PT1M","canaryRotation":3}
            """;

    @Inject
    KubernetesClient client;

    @BeforeEach
    void defaults() {
        TestFleet.clear(client);
    }

    @Test
    void shouldServeTheTalksDefaultsUntilAnAdminStoresAPolicy() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .statusCode(200)
                .header("ETag", "\"defaults\"")
                .body("rings.name", contains("Staff", "Canary", "Stable", "Laggards"))
                .body("rings[1].selector.type", equalTo("percentage"))
                .body("rings[1].selector.percent", equalTo(5.0f))
                .body("rings[0].windowsApply", equalTo(false))
                .body("rings[1].soak", equalTo("PT48H"))
                .body("inFlightLimitPerReef", equalTo(5));
    }

    @Test
    void shouldStoreMinuteScalePolicyAndRefuseStaleWrite() {
        String etag = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"defaults\"")
                .body(MINUTE_SCALE)
                .when()
                .put("/api/policy")
                .then()
                .statusCode(200)
                .body("rings[1].soak", equalTo("PT3M"))
                .extract()
                .header("ETag");

        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"defaults\"")
                .body(MINUTE_SCALE.replace("\"PT3M\"", "\"PT4M\""))
                .when()
                .put("/api/policy")
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString(etag));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .header("ETag", etag)
                .body("rings[1].soak", equalTo("PT3M"))
                .body("expectedUpgrade", equalTo("PT1M"));
    }

    @Test
    void shouldNameEveryInvalidFieldAndStoreNothing() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(MINUTE_SCALE
                        .replace("\"soak\":\"PT3M\"", "\"soak\":\"-PT3M\"")
                        .replace("\"pin\":\"laggard\"", "\"pin\":\"sometimes\"")
                        .replace("\"percent\":5", "\"percent\":150"))
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("rings[1].soak"))
                .body("violations.field", hasItem("rings[1].selector.percent"))
                .body("violations.field", hasItem("rings[3].selector.pin"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(MINUTE_SCALE.replace("\"PT3M\"", "\"three minutes\""))
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("rings[1].soak"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .header("ETag", "\"defaults\"");
    }

    @Test
    void shouldRefuseWhatTheDatabaseCannotHoldNamingTheFieldAndStoreNothing() {
        String longName = "Staff ring with a name of 45 characters, long";
        assertEquals(45, longName.length());
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(MINUTE_SCALE.replace("\"Staff\"", "\"" + longName + "\""))
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("rings[0].name"))
                .body("violations[0].message", containsString("at most 40 characters"));

        StringBuilder rings = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            rings.append(i == 0 ? "" : ",")
                    .append("{\"name\":\"R")
                    .append(i)
                    .append("\",\"selector\":{\"type\":\"explicit\",\"instanceIds\":[\"i-")
                    .append(i)
                    .append("\"]},\"soak\":\"PT0S\",\"deadline\":\"P1D\"}");
        }
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"rings\":[" + rings
                        + "],\"inFlightLimitPerReef\":1,\"expectedUpgrade\":\"PT10M\",\"canaryRotation\":0}")
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(400)
                .body("violations.field", contains("rings"))
                .body("violations[0].message", containsString("at most 20 rings"));

        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(MINUTE_SCALE.replace("\"canaryRotation\"", "\"soakChecks\":0,\"canaryRotation\""))
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(400)
                .body("violations.field", contains("soakChecks"))
                .body("violations[0].message", containsString("between 1 and 30"));

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .header("ETag", "\"defaults\"")
                .body("rings.name", contains("Staff", "Canary", "Stable", "Laggards"));
    }

    @Test
    void shouldLetOnlyAdminsChangeThePolicy() {
        given().contentType(ContentType.JSON)
                .body(MINUTE_SCALE)
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(MINUTE_SCALE)
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(403);
    }
}
