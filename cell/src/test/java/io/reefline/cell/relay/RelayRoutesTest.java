package io.reefline.cell.relay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.cell.CellConfig;
import io.reefline.sandbox.LocalKeys;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay's routes against a fake hub on a free port: what a sidecar or a person sees, and what reaches the hub. */
@QuarkusTest
@WithTestResource(FakeHubResource.class)
@WithTestResource(SandboxReefResource.class)
class RelayRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PULL = """
            {"reason":"Instance acme-prod unhealthy after 2026.11.3","category":"doesnt-look-right",\
            "severity":"SEV-2","scope":"release:2026.11.3","suspectedRelease":"2026.11.3"}""";

    @Inject
    Relay relay;

    @Inject
    CellConfig cell;

    @ConfigProperty(name = "fake-hub.url", defaultValue = "unset: only FakeHubResource sets it")
    String hub;

    @BeforeEach
    void hubUpAndSpoolEmpty() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        given().post(hub + "/_reset").then().statusCode(204);
    }

    @Test
    void shouldQueueAPullAndForwardItWithWhoWhereAndWhen() throws Exception {
        Instant before = Instant.now();
        String id = pull(TestTokens.viewer(), null, PULL)
                .then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("state", equalTo("queued"))
                .body("id", matchesPattern("[0-9a-f-]{36}"))
                .extract()
                .jsonPath()
                .getString("id");

        JsonNode forwarded = awaitReceived("/api/cords/forwarded", 1).get(0);
        assertEquals("reef-test:" + id, forwarded.get("idempotencyKey").asText());
        assertEquals(
                "Bearer "
                        + serviceTokenSubjectCheck(
                                forwarded.get("authorization").asText()),
                forwarded.get("authorization").asText());
        JsonNode body = JSON.readTree(forwarded.get("body").asText());
        assertEquals("vera.viewer", body.get("pulledBy").asText(), "the puller, not the cell");
        assertEquals("reef-test", body.get("reef").asText());
        Instant pulledAt = Instant.parse(body.get("pulledAt").asText());
        assertTrue(!pulledAt.isBefore(before.minusSeconds(1)) && !pulledAt.isAfter(Instant.now()), "cell's time");
        assertEquals(JSON.readTree(PULL), body.get("pull"), "the pull as it was sent");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> relay.spool().orElseThrow().size() == 0);
    }

    @Test
    void shouldAnswerTheFirstPullsIdForTheSameIdempotencyKeyAndOpenOneCordAtTheHub() throws Exception {
        String key = UUID.randomUUID().toString();
        // The hub is down: both pulls wait in the spool.
        given().post(hub + "/_answer?status=503").then().statusCode(204);
        String first = pull(TestTokens.viewer(), key, PULL)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String second = pull(TestTokens.viewer(), key, PULL)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals(first, second);
        assertEquals(1, relay.spool().orElseThrow().queued(Destination.ANDON), "one pull queued");

        given().post(hub + "/_answer?status=0").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        // The same key after delivery is still the same pull: the same id, the same key at the hub.
        String third = pull(TestTokens.viewer(), key, PULL)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals(first, third);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);

        List<JsonNode> all = received("/api/cords/forwarded");
        assertTrue(
                all.stream()
                        .allMatch(r -> ("reef-test:" + first)
                                .equals(r.get("idempotencyKey").asText())),
                "key");
        long accepted = all.stream().filter(r -> r.get("answered").asInt() == 0).count();
        assertTrue(accepted >= 1, "delivered: " + all);
        // A pull without a key is a new pull.
        String other = pull(TestTokens.viewer(), null, PULL)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertNotEquals(first, other);
    }

    @Test
    void shouldKeepPullsWhileTheHubIsDownAndDeliverThemInOrderWhenItIsBack() throws Exception {
        given().post(hub + "/_answer?status=503").then().statusCode(204);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(pull(TestTokens.viewer(), null, PULL.replace("after", "#" + i + " after"))
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> received("/api/cords/forwarded").size() >= 2);
        assertEquals(3, relay.spool().orElseThrow().queued(Destination.ANDON));
        Map<String, Object> details = relay.details();
        assertTrue(details.toString().contains("HTTP 503"), "the hub's error shows: " + details);

        given().post(hub + "/_answer?status=0").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        List<String> delivered = received("/api/cords/forwarded").stream()
                .filter(r -> r.get("answered").asInt() == 0)
                .map(r -> r.get("idempotencyKey").asText().substring("reef-test:".length()))
                .toList();
        assertEquals(ids, delivered, "in the order they were pulled, once each");
        assertTrue(relay.details().toString().contains("lastDelivery"));
    }

    @Test
    void shouldSetAsideAPullTheHubRefusesAndDeliverTheNext() throws Exception {
        int rejectedBefore = relay.spool().orElseThrow().rejected();
        given().post(hub + "/_answer?status=422").then().statusCode(204);
        String refused = pull(TestTokens.viewer(), null, PULL)
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> relay.spool().orElseThrow().rejected() == rejectedBefore + 1);
        given().post(hub + "/_answer?status=0").then().statusCode(204);
        pull(TestTokens.viewer(), null, PULL).then().statusCode(202);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> relay.spool().orElseThrow().size() == 0);

        assertEquals(2, received("/api/cords/forwarded").size(), "the refused pull was sent once, not retried");
        Path rejected = cell.dataDir().resolve("relay").resolve("rejected");
        try (Stream<Path> files = Files.list(rejected)) {
            String kept = files.map(RelayRoutesTest::read)
                    .filter(text -> text.contains(refused))
                    .findFirst()
                    .orElseThrow();
            assertTrue(kept.contains("forced by the test"), "the hub's answer is kept: " + kept);
        }
    }

    @Test
    void shouldTellTheHubInEveryHeartbeatHowManyCordsWaitWithTheCellsServiceToken() throws Exception {
        // The hub does not take anything: the pull waits, and the heartbeats say so.
        given().post(hub + "/_answer?status=503").then().statusCode(204);
        Instant before = Instant.now();
        pull(TestTokens.viewer(), null, PULL).then().statusCode(202);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        heartbeats().stream().anyMatch(b -> b.get("queuedCords").asInt() == 1));
        JsonNode waiting = heartbeats().stream()
                .filter(b -> b.get("queuedCords").asInt() == 1)
                .findFirst()
                .orElseThrow();
        Instant oldest = Instant.parse(waiting.get("oldestQueuedAt").asText());
        assertTrue(!oldest.isBefore(before.minusSeconds(1)) && !oldest.isAfter(Instant.now()), "when it was pulled");
        assertEquals("cell", waiting.get("replica").asText(), "the replica's name");
        Instant.parse(waiting.get("sentAt").asText());
        JsonNode request = received("/api/cells/reef-test").get(0);
        assertEquals("PUT", request.get("method").asText());
        serviceTokenSubjectCheck(request.get("authorization").asText());

        // The hub is back: the pull is delivered, and the next heartbeats say nothing waits.
        given().post(hub + "/_answer?status=0").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> relay.spool().orElseThrow().size() == 0);
        given().post(hub + "/_reset").then().statusCode(204);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        heartbeats().stream().anyMatch(b -> b.get("queuedCords").asInt() == 0));
        JsonNode clear = heartbeats().stream()
                .filter(b -> b.get("queuedCords").asInt() == 0)
                .findFirst()
                .orElseThrow();
        assertTrue(clear.get("oldestQueuedAt").isNull(), "no cord waits: " + clear);
    }

    /** The bodies of the heartbeats the fake hub received, in order. */
    private List<JsonNode> heartbeats() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (JsonNode request : received("/api/cells/reef-test")) {
            bodies.add(JSON.readTree(request.get("body").asText()));
        }
        return bodies;
    }

    @Test
    void shouldForwardAnOperatorsDowntimeReportVerbatimWithTheCellsToken() throws Exception {
        String report = """
                {"id":"5b0f6a2e-1f7c-4f0e-9b7e-3c8f2d9a4e11","instanceId":"acme-prod",\
                "start":"2026-03-02T09:00:30Z","end":"2026-03-02T09:01:00Z","planned":false,"source":"sidecar"}""";
        String id = given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(report)
                .when()
                .post("/api/events/downtime")
                .then()
                .statusCode(202)
                .body("state", equalTo("queued"))
                .extract()
                .path("id");
        // A retry after a lost answer: the same report is queued once.
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body(report)
                .when()
                .post("/api/events/downtime")
                .then()
                .statusCode(202)
                .body("id", equalTo(id));

        JsonNode forwarded = awaitReceived("/api/events/downtime", 1).get(0);
        assertEquals(JSON.readTree(report), JSON.readTree(forwarded.get("body").asText()));
        assertTrue(forwarded.get("authorization").asText().startsWith("Bearer "));
        assertNotEquals(
                "Bearer " + TestTokens.operator(),
                forwarded.get("authorization").asText(),
                "the cell's own token");
        serviceTokenSubjectCheck(forwarded.get("authorization").asText());
    }

    @Test
    void shouldAnswer401WithoutAValidToken() {
        given().contentType(ContentType.JSON)
                .body(PULL)
                .when()
                .post("/api/cords")
                .then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401));
        pull("not-a-jwt", null, PULL).then().statusCode(401).contentType("application/problem+json");
        // Signed by a key the cell does not trust.
        String forged = LocalKeys.signToken(
                LocalKeys.generate().getPrivate(),
                LocalKeys.DEFAULT_ISSUER,
                "mallory",
                List.of("admin"),
                Duration.ofHours(1));
        pull(forged, null, PULL).then().statusCode(401).contentType("application/problem+json");
        // The right key, another issuer.
        String otherIssuer = TestTokensWithIssuer.token("https://elsewhere.example", "viewer");
        pull(otherIssuer, null, PULL).then().statusCode(401).contentType("application/problem+json");
        // The right key, issuer and roles, issued for another application.
        String otherAudience = TestTokensWithIssuer.token(LocalKeys.DEFAULT_ISSUER, "another-app", "admin");
        pull(otherAudience, null, PULL).then().statusCode(401).contentType("application/problem+json");
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    @Test
    void shouldAnswer403WithoutTheRole() {
        pull(TestTokens.token("guest", "guest"), null, PULL)
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("status", equalTo(403));
        // Downtime needs an operator (or an instance's own sidecar, with its pod token); a service token that once
        // sat in every customer pod no longer reports anything here.
        for (String token : List.of(TestTokens.viewer(), TestTokens.service())) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .body("{\"id\":\"e1\",\"instanceId\":\"i\",\"start\":\"2026-03-02T09:00:30Z\","
                            + "\"end\":\"2026-03-02T09:01:00Z\",\"source\":\"sidecar\"}")
                    .when()
                    .post("/api/events/downtime")
                    .then()
                    .statusCode(403)
                    .contentType("application/problem+json");
        }
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    @Test
    void shouldAnswer400ProblemsNamingTheFieldsAndQueueNothing() {
        assertInvalid(null, "{\"category\":\"other\",\"scope\":\"global\"}", "reason");
        assertInvalid(null, "{\"reason\":5,\"category\":\"other\",\"scope\":\"global\"}", "reason");
        assertInvalid(null, "{\"reason\":\"x\",\"category\":\"nope\",\"scope\":\"global\"}", "category");
        assertInvalid(null, "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"everywhere\"}", "scope");
        assertInvalid(
                null,
                "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\",\"severity\":\"SEV-9\"}",
                "severity");
        assertInvalid(
                null,
                "{\"reason\":\"" + "x".repeat(2001) + "\",\"category\":\"other\",\"scope\":\"global\"}",
                "reason");
        assertInvalid(
                null,
                "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\",\"links\":[\"ftp://a\"]}",
                "links[0]");
        assertInvalid(
                null,
                "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\",\"pulledBy\":\"boss\"}",
                "pulledBy");
        // Only a sidecar names its instance, and then with its pod's token.
        assertInvalid(
                null,
                "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\",\"instanceId\":\"a\"}",
                "instanceId");
        assertInvalid(null, "{\"reason\":\"a\\u0000b\",\"category\":\"other\",\"scope\":\"global\"}", "reason");
        assertInvalid(null, "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\"} {}", "body");
        assertInvalid(null, "[1,2]", "body");
        assertInvalid(null, "{\"reason\":", "body");
        assertInvalid(null, "", "body");
        assertInvalid("", "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\"}", "Idempotency-Key");
        assertInvalid(
                "k".repeat(101), "{\"reason\":\"x\",\"category\":\"other\",\"scope\":\"global\"}", "Idempotency-Key");
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"id\":\"e1\",\"instanceId\":\"i\",\"start\":1767225600,\"end\":\"2026-03-02T09:00:00Z\","
                        + "\"source\":\"sidecar\"}")
                .when()
                .post("/api/events/downtime")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("start"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.TEXT)
                .body(PULL)
                .when()
                .post("/api/cords")
                .then()
                .statusCode(415)
                .contentType("application/problem+json");
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"" + "x".repeat(70_000) + "\"}")
                .when()
                .post("/api/cords")
                .then()
                .statusCode(413)
                .contentType("application/problem+json");
        assertEquals(0, relay.spool().orElseThrow().size(), "nothing queued");
    }

    private static void assertInvalid(String key, String body, String field) {
        pull(TestTokens.viewer(), key, body)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("violations.field", hasItem(field));
    }

    private static Response pull(String token, String key, String body) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.body(body).when().post("/api/cords");
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

    /** The cell presents its own service token, whose subject names the cell. */
    private static String serviceTokenSubjectCheck(String authorization) throws Exception {
        String token = authorization.substring("Bearer ".length());
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals(
                FakeHubResource.SERVICE_TOKEN_SUBJECT,
                JSON.readTree(payload).get("sub").asText());
        return token;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Tokens signed with the trusted test key but naming another issuer or audience. */
    static final class TestTokensWithIssuer {
        static String token(String issuer, String role) {
            return token(issuer, LocalKeys.DEFAULT_AUDIENCE, role);
        }

        static String token(String issuer, String audience, String role) {
            try {
                Path keys = Path.of(System.getProperty("reefline-test.key-directory"));
                return LocalKeys.signToken(
                        LocalKeys.readPrivateKey(keys.resolve(LocalKeys.PRIVATE_KEY_FILE)),
                        issuer,
                        audience,
                        "vera.viewer",
                        List.of(role),
                        Duration.ofHours(1));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
