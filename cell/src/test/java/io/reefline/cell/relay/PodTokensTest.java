package io.reefline.cell.relay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sidecar proves which instance it runs beside with its pod's service-account token, reviewed by the reef's
 * Kubernetes API (a sandbox reef here), and may then do that instance's work only.
 */
@QuarkusTest
@WithTestResource(FakeHubResource.class)
@WithTestResource(SandboxReefResource.class)
class PodTokensTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REEF = SandboxReefResource.REEF;
    /** The release every sandbox pod runs: registry.reefline.local/product:2026.11.0. */
    private static final String RUNNING = "2026.11.0";

    @Inject
    Relay relay;

    @Inject
    InstanceIdentities instances;

    @ConfigProperty(name = "fake-hub.url", defaultValue = "unset: only FakeHubResource sets it")
    String hub;

    @ConfigProperty(name = "sandbox-reef.tokens", defaultValue = "unset: only SandboxReefResource sets it")
    String tokens;

    @BeforeEach
    void hubUpAndSpoolEmpty() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        given().post(hub + "/_reset").then().statusCode(204);
    }

    @Test
    void shouldAcceptAPodsTokenAndForwardItsCordAttributedToItsInstance() throws Exception {
        String pull = pullFor("release:2026.11", "i-us1-002");
        pull(token("cell", "i-us1-002"), pull).then().statusCode(202).body("state", equalTo("queued"));

        JsonNode forwarded = awaitReceived("/api/cords/forwarded", 1).get(0);
        JsonNode body = JSON.readTree(forwarded.get("body").asText());
        String pulledBy = body.get("pulledBy").asText();
        assertTrue(
                pulledBy.matches("instance i-us1-002 \\(pod instances/i-us1-002-[0-9a-f]+-[0-9a-f]{5}\\)"), pulledBy);
        assertEquals("reef-test", body.get("reef").asText(), "the cell's reef");
        assertEquals("release:2026.11", body.get("pull").get("scope").asText());
        assertFalse(body.get("pull").has("instanceId"), "proven by the token, not forwarded: " + body);
        assertFalse(
                forwarded.get("authorization").asText().contains(token("cell", "i-us1-002")),
                "the cell's own token goes to the hub, never the pod's");
    }

    @Test
    void shouldRefuseAPodAnotherInstancesCordAndEveryCordBeyondItsRelease() {
        String podA = token("cell", "i-us1-002");
        for (String pull : List.of(
                pullFor("release:" + RUNNING, "i-us1-001"),
                pullFor("release:2026.11.1", null),
                pullFor("global", null),
                pullFor("reef:" + REEF, null),
                pullFor("release:" + RUNNING, null)
                        .replace("\"suspectedRelease\":\"2026.11.0\"", "\"suspectedRelease\":\"2026.10.9\""))) {
            pull(podA, pull)
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", containsString("i-us1-002"));
        }
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    @Test
    void shouldTakeAPodsOwnDowntimeAndRefuseAnyOtherInstancesOrServices() throws Exception {
        String podA = token("cell", "i-us1-002");
        String own = downtime("i-us1-002");
        for (String report : List.of(
                downtime("i-us1-001"),
                "[" + own + "," + downtime("i-us1-001") + "]",
                own.replace("\"instanceId\":\"i-us1-002\"", "\"service\":\"checkout\""))) {
            report(podA, report).then().statusCode(403).contentType("application/problem+json");
        }
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");

        report(podA, own).then().statusCode(202);
        JsonNode forwarded = awaitReceived("/api/events/downtime", 1).get(0);
        assertEquals(JSON.readTree(own), JSON.readTree(forwarded.get("body").asText()), "verbatim");
    }

    @Test
    void shouldAnswer401ForAForgedAnExpiredOrAnotherAudiencesPodToken() {
        String podA = token("cell", "i-us1-002");
        // Its holder rewrites it to claim another pod: the reef's API finds the signature broken.
        String[] parts = podA.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceAll("\"name\":\"i-us1-002-", "\"name\":\"i-us1-001-");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        for (String token : List.of(forged, token("expired", "i-us1-002"), token("other-audience", "i-us1-002"))) {
            report(token, downtime("i-us1-002"))
                    .then()
                    .statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", "Bearer");
            pull(token, pullFor("release:" + RUNNING, "i-us1-002")).then().statusCode(401);
        }
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    @Test
    void shouldAskTheReefsApiOnceForABurstOfReportsWithOneToken() throws Exception {
        String podC = token("cell", "i-us1-003");
        long reviewsBefore = instances.reviewsSent();
        long podReadsBefore = instances.podReads();
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                answers.add(
                        senders.submit(() -> report(podC, downtime("i-us1-003")).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(202, answer.get());
            }
        } finally {
            senders.shutdownNow();
        }
        assertEquals(reviewsBefore + 1, instances.reviewsSent(), "one TokenReview for the whole burst");
        assertEquals(podReadsBefore + 1, instances.podReads(), "one pod read");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private String token(String kind, String instance) {
        try {
            return Files.readString(Path.of(tokens, kind, REEF, instance, "token"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pullFor(String scope, String instanceId) {
        return "{\"reason\":\"Unhealthy since the upgrade\",\"category\":\"doesnt-look-right\",\"severity\":\"SEV-2\","
                + "\"scope\":\"" + scope + "\",\"suspectedRelease\":\"2026.11.0\""
                + (instanceId == null ? "" : ",\"instanceId\":\"" + instanceId + "\"") + "}";
    }

    private static String downtime(String instanceId) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"instanceId\":\"" + instanceId + "\","
                + "\"start\":\"2026-03-02T09:00:30Z\",\"end\":\"2026-03-02T09:01:00Z\",\"planned\":false,"
                + "\"source\":\"sidecar\"}";
    }

    private static Response pull(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/cords");
    }

    private static Response report(String token, String body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/events/downtime");
    }

    private List<JsonNode> awaitReceived(String path, int count) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> received(path).size() >= count);
        return received(path);
    }

    private List<JsonNode> received(String path) throws Exception {
        JsonNode all =
                JSON.readTree(given().get(hub + "/_received").then().extract().asString());
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (r.get("path").asText().equals(path)) {
                matching.add(r);
            }
        });
        return matching;
    }
}
