package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
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

    /** MINUTE_SCALE with canary analysis on the Canary ring, some fields omitted. */
    static final String WITH_ANALYSIS = MINUTE_SCALE.replace(
            "\"deadline\":\"PT30M\"}",
            "\"deadline\":\"PT30M\",\"analysis\":{\"interval\":\"PT30S\",\"minDuration\":\"PT4M\",\"dryRun\":true,"
                    + "\"metrics\":[{\"name\":\"error-rate\",\"alpha\":0.01},"
                    + "{\"name\":\"latency\",\"test\":\"threshold\",\"max\":500},"
                    + "{\"name\":\"health-failures\"}]}}");

    @Test
    void shouldStoreARingsAnalysisFillingInTheDefaults() {
        String etag = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "\"defaults\"")
                .body(WITH_ANALYSIS)
                .when()
                .put("/api/policy")
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");

        String stored = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .statusCode(200)
                .header("ETag", etag)
                .body("rings[0]", not(hasKey("analysis")))
                .body("rings[1].analysis.interval", equalTo("PT30S"))
                .body("rings[1].analysis.minDuration", equalTo("PT4M"))
                .body("rings[1].analysis.dryRun", equalTo(true))
                .body("rings[1].analysis.restoreFailedCanaries", equalTo(false))
                .body("rings[1].analysis.metrics.name", contains("error-rate", "latency", "health-failures"))
                .body("rings[1].analysis.metrics.test", contains("mann-whitney", "threshold", "threshold"))
                // given
                .body("rings[1].analysis.metrics[0].alpha", equalTo(0.01f))
                .body("rings[1].analysis.metrics[1].max", equalTo(500.0f))
                // the default error-rate check's margins, latency's minSamples, health-failures' max
                .body("rings[1].analysis.metrics[0].minRelativeIncrease", equalTo(0.5f))
                .body("rings[1].analysis.metrics[0].minAbsoluteIncrease", equalTo(0.01f))
                .body("rings[1].analysis.metrics[0]", not(hasKey("max")))
                .body("rings[1].analysis.metrics[1].minSamples", equalTo(20))
                .body("rings[1].analysis.metrics[2].max", equalTo(0.2f))
                .body("rings[1].analysis.metrics[2].minSamples", equalTo(10))
                .extract()
                .asString();

        // what GET answers is a policy PUT takes back unchanged
        String again = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body(stored)
                .when()
                .put("/api/policy")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(stored, again);
    }

    @Test
    void shouldNameAWrongAnalysisFieldAndStoreNothing() {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "*")
                .body(WITH_ANALYSIS
                        .replace("\"alpha\":0.01", "\"alpha\":2")
                        .replace("\"name\":\"latency\"", "\"name\":\"cpu\"")
                        .replace("{\"name\":\"health-failures\"}", "{\"name\":\"restarts\",\"test\":\"t-test\"}"))
                .when()
                .put("/api/policy")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body(
                        "violations.field",
                        containsInAnyOrder(
                                "rings[1].analysis.metrics[0].alpha",
                                "rings[1].analysis.metrics[1].name",
                                "rings[1].analysis.metrics[2].test"))
                .body(
                        "violations.find { it.field == 'rings[1].analysis.metrics[0].alpha' }.message",
                        equalTo("must be above 0 and at most 0.5"))
                .body(
                        "violations.find { it.field == 'rings[1].analysis.metrics[1].name' }.message",
                        equalTo("must be one of error-rate, latency, restarts, health-failures"))
                .body(
                        "violations.find { it.field == 'rings[1].analysis.metrics[2].test' }.message",
                        equalTo("must be one of mann-whitney, threshold"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .header("If-Match", "*")
                .body(WITH_ANALYSIS.replace("\"PT30S\"", "\"soon\""))
                .when()
                .put("/api/policy")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("rings[1].analysis.interval"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/policy")
                .then()
                .header("ETag", "\"defaults\"")
                .body("rings[1]", not(hasKey("analysis")));
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
