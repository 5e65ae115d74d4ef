package io.reefline.cell.relay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.cell.CellConfig;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signal samples through the relay: from an instance's sidecar (its pod token, reviewed by a sandbox reef) or a service,
 * checked, spooled and forwarded to the hub's rollout-service (a fake hub) with the cell's reef.
 */
@QuarkusTest
@WithTestResource(FakeHubResource.class)
@WithTestResource(SandboxReefResource.class)
class SignalRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Relay relay;

    @Inject
    CellConfig cell;

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
    void shouldForwardASidecarsSampleToRolloutWithTheCellsReefAndItsOwnToken() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String sample = sample("i-us1-002", from);
        String podToken = podToken("i-us1-002");
        signal(podToken, sample, "signal-i-us1-002-" + from.getEpochSecond())
                .then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("state", equalTo("queued"));

        JsonNode forwarded = awaitReceived(1).get(0);
        assertEquals(
                "signal-i-us1-002-" + from.getEpochSecond(),
                forwarded.get("idempotencyKey").asText());
        ObjectNode expected = (ObjectNode) JSON.readTree(sample);
        expected.put("reef", "reef-test");
        assertEquals(expected, JSON.readTree(forwarded.get("body").asText()), "the sample, with the cell's reef");
        String authorization = forwarded.get("authorization").asText();
        assertEquals("cell-reef-test", subject(authorization), "the cell's own token goes to the hub, never the pod's");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> relay.spool().orElseThrow().size() == 0);
    }

    @Test
    void shouldRefuseASidecarAnotherInstancesSampleAndAnotherReefs() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        signal(podToken("i-us1-002"), sample("i-us1-001", from), null)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("i-us1-001"));
        String otherReef = sample("i-us1-002", from).replace("{", "{\"reef\":\"reef-eu-1\",");
        signal(podToken("i-us1-002"), otherReef, null)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("reef-eu-1"));
        signal(TestTokens.service(), otherReef, null).then().statusCode(403);
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    @Test
    void shouldAnswer401ForAForgedPodTokenAnd403ForPeopleWithoutTheServiceRole() {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String podToken = podToken("i-us1-002");
        String[] parts = podToken.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replaceAll("\"name\":\"i-us1-002-", "\"name\":\"i-us1-001-");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        signal(forged, sample("i-us1-001", from), null).then().statusCode(401).contentType("application/problem+json");
        signal(TestTokens.operator(), sample("i-us1-001", from), null)
                .then()
                .statusCode(403)
                .body("detail", containsString("role service"));
        signal(TestTokens.viewer(), sample("i-us1-001", from), null).then().statusCode(403);
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");

        // A service may report any instance of this reef.
        signal(TestTokens.service(), sample("i-us1-001", from), null).then().statusCode(202);
    }

    @Test
    void shouldAnswer400NamingTheFieldAndQueueNothingForABadSample() throws Exception {
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        String good = sample("i-us1-002", from);
        Map<String, String> bad = Map.ofEntries(
                Map.entry("errors", good.replace("\"errors\":12", "\"errors\":2000")),
                Map.entry("healthFailures", good.replace("\"healthFailures\":0", "\"healthFailures\":3")),
                Map.entry("requests", good.replace("\"requests\":1234", "\"requests\":12.5")),
                Map.entry("restarts", good.replace("\"restarts\":0", "\"restarts\":-1")),
                Map.entry("latencyMs", good.replace("\"latencyMs\":85.5", "\"latencyMs\":\"85\"")),
                Map.entry("version", good.replace("\"version\":\"2026.12.1\",", "")),
                Map.entry("from", good.replace("\"from\":\"" + from + "\"", "\"from\":" + from.getEpochSecond())),
                Map.entry("color", good.replace("{", "{\"color\":\"red\",")),
                Map.entry(
                        "to",
                        good.replace(
                                "\"to\":\"" + from.plusSeconds(15) + "\"",
                                "\"to\":\"" + from.plus(Duration.ofMinutes(61)) + "\"")));
        for (Map.Entry<String, String> one : bad.entrySet()) {
            signal(podToken("i-us1-002"), one.getValue(), null)
                    .then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("violations.field", hasItem(one.getKey()));
        }
        Instant future = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        signal(podToken("i-us1-002"), sample("i-us1-002", future), null)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("to"));
        String errorsWithoutRequests = good.replace("\"requests\":1234", "\"requests\":null");
        signal(podToken("i-us1-002"), errorsWithoutRequests, null)
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("errors"));
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
        assertEquals(0, received().size(), "nothing sent to the hub");

        // Without counters, requests and errors are both null; absent health checks and restarts count zero.
        String noCounters = "{\"instanceId\":\"i-us1-002\",\"version\":\"2026.12.1\",\"from\":\"" + from
                + "\",\"to\":\"" + from.plusSeconds(60) + "\",\"requests\":null,\"errors\":null,\"latencyMs\":null}";
        signal(podToken("i-us1-002"), noCounters, null).then().statusCode(202);
    }

    @Test
    void shouldKeepSamplesWhileTheHubIsDownAndDeliverThemLaterOnce() throws Exception {
        given().post(hub + "/_answer?status=503").then().statusCode(204);
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        String podToken = podToken("i-us1-003");
        signal(podToken, sample("i-us1-003", from), null).then().statusCode(202);
        signal(podToken, sample("i-us1-003", from.plusSeconds(60)), null).then().statusCode(202);
        // The sidecar resends the first (its answer was lost): the same sample, not queued twice.
        signal(podToken, sample("i-us1-003", from), null).then().statusCode(202);
        assertEquals(2, relay.spool().orElseThrow().queued(Destination.ROLLOUT));

        await().atMost(Duration.ofSeconds(10)).until(() -> received().size() >= 3);
        assertEquals(2, relay.spool().orElseThrow().queued(Destination.ROLLOUT), "kept while the hub answers 503");

        given().post(hub + "/_answer?status=0").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        List<String> delivered = received().stream()
                .filter(r -> r.get("answered").asInt() == 0)
                .map(r -> r.get("idempotencyKey").asText())
                .toList();
        assertEquals(
                List.of(
                        "signal-i-us1-003-" + from.getEpochSecond(),
                        "signal-i-us1-003-" + from.plusSeconds(60).getEpochSecond()),
                delivered,
                "each once, in order");
    }

    @Test
    void shouldDropASampleTheHubRefusesForGoodWithoutKeepingIt() throws Exception {
        given().post(hub + "/_answer?status=422").then().statusCode(204);
        int rejectedBefore = relay.spool().orElseThrow().rejected();
        Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        signal(podToken("i-us1-002"), sample("i-us1-002", from), null).then().statusCode(202);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        assertEquals(1, received().size(), "sent once, not again");
        assertEquals(rejectedBefore, relay.spool().orElseThrow().rejected(), "not kept in rejected/");
        try (Stream<Path> files = Files.list(cell.dataDir().resolve("relay").resolve(RelaySpool.REJECTED))) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith("rollout-")));
        }
        given().get("/api/cell").then().statusCode(200).body("relay.destinations.rollout.dropped", equalTo(1));
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static String sample(String instanceId, Instant from) {
        return "{\"instanceId\":\"" + instanceId + "\",\"version\":\"2026.12.1\",\"from\":\"" + from + "\",\"to\":\""
                + from.plusSeconds(15) + "\",\"requests\":1234,\"errors\":12,\"latencyMs\":85.5,\"healthChecks\":2,"
                + "\"healthFailures\":0,\"restarts\":0}";
    }

    private String podToken(String instance) {
        try {
            return Files.readString(Path.of(tokens, "cell", SandboxReefResource.REEF, instance, "token"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String subject(String authorization) throws IOException {
        String payload = authorization.substring("Bearer ".length()).split("\\.")[1];
        return JSON.readTree(Base64.getUrlDecoder().decode(payload)).get("sub").asText();
    }

    private static Response signal(String token, String body, String key) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/signals");
    }

    private List<JsonNode> awaitReceived(int count) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> received().size() >= count);
        return received();
    }

    private List<JsonNode> received() throws Exception {
        JsonNode all =
                JSON.readTree(given().get(hub + "/_received").then().extract().asString());
        List<JsonNode> matching = new ArrayList<>();
        all.forEach(r -> {
            if (r.get("path").asText().equals("/api/signals")) {
                matching.add(r);
            }
        });
        return matching;
    }
}
