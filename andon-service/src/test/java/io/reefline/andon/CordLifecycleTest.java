package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CordLifecycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void emptyTables() {
        TestData.clear();
    }

    @Test
    void shouldStopOnlyTheScopedReleaseAndLetAllowedRingsMove() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/status")
                .then()
                .body("state", equalTo("HEALTHY"));
        long id = TestData.pull("Dashboards render empty", "release:2026.11.3", "\"allowRings\":[\"staff\"]");

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/status")
                .then()
                .statusCode(200)
                .body("state", equalTo("STOPPED"))
                .body("openCords.id", contains((int) id));
        given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?release=2026.11.3&reef=reef-eu-1&ring=canary")
                .then()
                .statusCode(423)
                .body("allowed", equalTo(false))
                .body("cords.id", contains((int) id));
        given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?release=2026.11.4&reef=reef-eu-1&ring=canary")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true))
                .body("cords", nullValue());
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/gate?release=2026.11.3&ring=staff")
                .then()
                .statusCode(200)
                .body("allowed", equalTo(true));
        // A caller that does not say which release it moves is held: when in doubt the line stays stopped.
        given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?ring=canary")
                .then()
                .statusCode(423);
    }

    @Test
    void shouldBeHealthyAgainWhenTheLastOpenCordIsResolved() {
        long first = TestData.pull("Canary instances return 502");
        long second = TestData.pull("Release notes are wrong", "reef:reef-au-1", "");
        resolve(first, "Rolled forward to 2026.11.4", "2026.11.4").then().statusCode(200);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/status")
                .then()
                .body("state", equalTo("STOPPED"))
                .body("openCords.id", contains((int) second));
        resolve(second, "Notes corrected", null).then().statusCode(200);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/status")
                .then()
                .body("state", equalTo("HEALTHY"))
                .body("message", equalTo("Healthy: the release pipeline will continue to move forward"))
                .body("openCords", hasSize(0));
        given().auth()
                .oauth2(TestTokens.service())
                .when()
                .get("/api/gate?release=2026.11.5")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldKeepEveryTransitionWithWhoAndWhen() {
        long id = TestData.pull("Runbooks cannot be started");
        resolve(id, "Permissions restored", "2026.11.4").then().statusCode(200).body("state", equalTo("resolved"));
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(200)
                .body("state", equalTo("closed"));
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/reopen")
                .then()
                .statusCode(200)
                .body("state", equalTo("open"))
                .body("resolution", nullValue());
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(200)
                .body("history.action", contains("pull", "resolve", "close", "reopen", "close"))
                .body(
                        "history.actor",
                        contains("vera.viewer", "otto.operator", "otto.operator", "otto.operator", "otto.operator"))
                .body("history[1].note", equalTo("Permissions restored (fix: 2026.11.4)"))
                .body("closedBy", equalTo("otto.operator"));
    }

    @Test
    void shouldRefuseIllegalTransitionsWithConflict() {
        long id = TestData.pull("Cannot create releases");
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/reopen")
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("resolved or closed"));
        resolve(id, "Fixed", null).then().statusCode(200);
        resolve(id, "Fixed again", null)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("is resolved"));
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(200);
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(409);
        resolve(id, "Fixed", null).then().statusCode(409);
    }

    @Test
    void shouldRefuseAWriteWithAStaleETag() {
        long id = TestData.pull("Flags flicker");
        String pulled = viewerGet(id).header("ETag");
        operator()
                .header("If-Match", pulled)
                .body("{\"resolution\":\"Cache fixed\"}")
                .post("/api/cords/" + id + "/resolve")
                .then()
                .statusCode(200);
        String resolved = viewerGet(id).header("ETag");
        assertFalse(resolved.equals(pulled), "every transition changes the ETag");
        operator()
                .header("If-Match", pulled)
                .post("/api/cords/" + id + "/reopen")
                .then()
                .statusCode(412)
                .contentType("application/problem+json")
                .body("detail", containsString(resolved));
        operator()
                .header("If-Match", resolved)
                .post("/api/cords/" + id + "/reopen")
                .then()
                .statusCode(200)
                .body("state", equalTo("open"));
    }

    @Test
    void shouldLetExactlyOneOfTwoConcurrentResolvesOfOneCordWin() throws Exception {
        for (int round = 0; round < 5; round++) {
            long id = TestData.pull("Race " + round);
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> attempts = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String resolution = "Fix " + i;
                attempts.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    return resolve(id, resolution, null).statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses =
                    attempts.stream().map(CompletableFuture::join).sorted().toList();
            assertEquals(List.of(200, 409), statuses);
            viewerGet(id).then().body("history.action", contains("pull", "resolve"));
        }
    }

    @Test
    void shouldSendAFullIncidentSnapshotForEveryChangeMetricsSees() throws Exception {
        long id = TestData.pull("Deployments fail", "release:2026.11.3", "\"links\":[\"https://chat.example/t/1\"]");
        JsonNode pulled = snapshots().get(0);
        assertEquals("andon-" + id, pulled.get("incidentId").asText());
        assertEquals("2026.11.3", pulled.get("causingRelease").asText());
        assertEquals("SEV-2", pulled.get("severity").asText());
        assertEquals(pulled.get("detectedAt"), pulled.get("occurredAt"));
        assertNull(pulled.get("resolvedAt"));

        resolve(id, "Selector fixed", "2026.11.4").then().statusCode(200);
        List<JsonNode> afterResolve = snapshots();
        assertEquals(2, afterResolve.size());
        JsonNode resolved = afterResolve.get(1);
        assertEquals(pulled.get("detectedAt"), resolved.get("detectedAt"));
        assertEquals("2026.11.4", resolved.get("fixVersion").asText());
        assertEquals(resolved.get("resolvedAt"), resolved.get("occurredAt"));
        assertEquals("https://chat.example/t/1", resolved.get("links").get(0).asText());

        // Closing a resolved cord changes nothing metrics-service knows.
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(200);
        assertEquals(2, snapshots().size());

        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/reopen")
                .then()
                .statusCode(200);
        JsonNode reopened = snapshots().get(2);
        assertNull(reopened.get("resolvedAt"));
        assertNull(reopened.get("fixVersion"));

        // Closing an open cord ends the incident at the close.
        String closedAt = operator()
                .header("If-Match", "*")
                .post("/api/cords/" + id + "/close")
                .then()
                .statusCode(200)
                .extract()
                .path("closedAt");
        JsonNode closed = snapshots().get(3);
        assertEquals(
                java.time.Instant.parse(closedAt),
                java.time.Instant.parse(closed.get("resolvedAt").asText()));
        List<String> eventIds =
                snapshots().stream().map(s -> s.get("id").asText()).distinct().toList();
        assertEquals(4, eventIds.size(), "every snapshot is its own event");
    }

    @Test
    void shouldListCordsByStateWithCounts() {
        long first = TestData.pull("One");
        long second = TestData.pull("Two");
        long third = TestData.pull("Three");
        resolve(second, "Done", null).then().statusCode(200);
        resolve(third, "Done", null).then().statusCode(200);
        operator()
                .header("If-Match", "*")
                .post("/api/cords/" + third + "/close")
                .then()
                .statusCode(200);

        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?state=open")
                .then()
                .statusCode(200)
                .body("counts.open", equalTo(1))
                .body("counts.resolved", equalTo(1))
                .body("counts.closed", equalTo(1))
                .body("items.id", contains((int) first));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?page=0&size=2")
                .then()
                .statusCode(200)
                .body("items.id", contains((int) third, (int) second))
                .body("items[0].history.action", contains("pull", "resolve", "close"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?page=1&size=2")
                .then()
                .body("items.id", contains((int) first));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/cords?size=0")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private static Response resolve(long id, String resolution, String fixVersion) {
        String body = fixVersion == null
                ? "{\"resolution\":\"" + resolution + "\"}"
                : "{\"resolution\":\"" + resolution + "\",\"fixVersion\":\"" + fixVersion + "\"}";
        return operator().body(body).header("If-Match", "*").post("/api/cords/" + id + "/resolve");
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON);
    }

    private static Response viewerGet(long id) {
        return given().auth().oauth2(TestTokens.viewer()).when().get("/api/cords/" + id);
    }

    private static List<JsonNode> snapshots() throws Exception {
        List<String> payloads = QuarkusTransaction.requiringNew()
                .call(() -> OutboxMessage.<OutboxMessage>list("order by createdAt").stream()
                        .map(m -> m.payload)
                        .toList());
        List<JsonNode> nodes = new ArrayList<>();
        for (String payload : payloads) {
            nodes.add(JSON.readTree(payload));
        }
        return nodes;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
