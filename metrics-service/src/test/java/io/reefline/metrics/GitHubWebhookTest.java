package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.reefline.metrics.service.GitHubSignature;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GitHubWebhookTest {

    private static final String SECRET = "test-webhook-secret";
    private static final String PUSH = """
            {"ref":"refs/heads/main","repository":{"full_name":"acme/app"},
             "commits":[
               {"id":"1111111111111111111111111111111111111111","timestamp":"2025-12-01T10:00:00+01:00",
                "author":{"name":"Ada","username":"ada"}},
               {"id":"2222222222222222222222222222222222222222","timestamp":"2025-12-01T11:00:00Z",
                "author":{"name":"Grace"}}]}
            """;

    @Inject
    EntityManager em;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldStoreTheCommitsOfASignedPushOnce() {
        String signature = GitHubSignature.sign(SECRET, PUSH.getBytes(StandardCharsets.UTF_8));
        deliver(PUSH, signature, "delivery-1").statusCode(200).body("stored", equalTo(2));
        deliver(PUSH, signature, "delivery-1").statusCode(200).body("duplicates", equalTo(2));
        assertEquals(2L, TestEvents.count(em, "source_commit"));
        assertEquals(
                "2025-12-01 09:00:00+00",
                io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                        .call(() -> em.createNativeQuery("select to_char(committed_at at time zone 'UTC',"
                                        + " 'YYYY-MM-DD HH24:MI:SS') || '+00' from source_commit where author = 'ada'")
                                .getSingleResult()));
    }

    @Test
    void shouldRefuseAnUnsignedOrWronglySignedPushAndStoreNothing() {
        deliver(PUSH, null, "delivery-2").statusCode(401).contentType("application/problem+json");
        deliver(PUSH, GitHubSignature.sign("not-the-secret", PUSH.getBytes(StandardCharsets.UTF_8)), "delivery-3")
                .statusCode(401);
        deliver(PUSH, "sha256=", "delivery-4").statusCode(401);
        String tampered = PUSH.replace("acme/app", "evil/app");
        deliver(tampered, GitHubSignature.sign(SECRET, PUSH.getBytes(StandardCharsets.UTF_8)), "delivery-5")
                .statusCode(401);
        assertEquals(0L, TestEvents.count(em, "source_commit"));
        assertEquals(0L, TestEvents.count(em, "ingested_event"));
    }

    @Test
    void shouldAnswerAPingAndRejectABadPushWithoutStoring() {
        String ping = "{\"zen\":\"Keep it logically awesome.\"}";
        given().header("X-Hub-Signature-256", GitHubSignature.sign(SECRET, ping.getBytes(StandardCharsets.UTF_8)))
                .header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", "delivery-6")
                .contentType("application/json")
                .body(ping)
                .post("/api/webhooks/github")
                .then()
                .statusCode(200);
        String bad = "{\"repository\":{\"full_name\":\"acme/app\"},\"commits\":[{\"id\":\"zz\",\"timestamp\":"
                + "\"2025-12-01T10:00:00Z\"}]}";
        deliver(bad, GitHubSignature.sign(SECRET, bad.getBytes(StandardCharsets.UTF_8)), "delivery-7")
                .statusCode(400)
                .body("violations[0].field", equalTo("[0].sha"));
        assertEquals(0L, TestEvents.count(em, "source_commit"));
    }

    @Test
    void shouldRefuseAnUnsignedDeliveryBeforeItsBodyIsSent() throws Exception {
        // Headers of a 9 MB delivery, and not a byte of the body: the answer must come without waiting for it.
        assertEquals("HTTP/1.1 401", statusBeforeTheBody(null, 9_000_000));
        assertEquals("HTTP/1.1 401", statusBeforeTheBody("sha256=not-hex", 9_000_000));
        assertEquals(0L, TestEvents.count(em, "ingested_event"));
    }

    @Test
    void shouldRefuseAnOversizedSignedDeliveryBeforeItsBodyIsSent() throws Exception {
        String forged = "sha256=" + "ab".repeat(32);
        assertEquals("HTTP/1.1 413", statusBeforeTheBody(forged, 2 * 1024 * 1024));
        given().header("X-Hub-Signature-256", forged)
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", "delivery-8")
                .contentType("application/json")
                .body(new byte[1024 * 1024 + 1])
                .post("/api/webhooks/github")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("detail", equalTo("a GitHub delivery is at most 1048576 bytes"));
    }

    /** Sends only the headers of a delivery of {@code length} bytes and reads the status line of the answer. */
    private static String statusBeforeTheBody(String signature, long length) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            String headers = "POST /api/webhooks/github HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: d-9\r\n"
                    + (signature == null ? "" : "X-Hub-Signature-256: " + signature + "\r\n")
                    + "Content-Length: " + length + "\r\n\r\n";
            socket.getOutputStream().write(headers.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader answer =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = answer.readLine();
            return status == null ? null : status.substring(0, Math.min(12, status.length()));
        } catch (SocketTimeoutException e) {
            return "no answer before the body was sent";
        }
    }

    private static ValidatableResponse deliver(String body, String signature, String delivery) {
        var request = given().header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", delivery)
                .contentType("application/json")
                .body(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.post("/api/webhooks/github").then();
    }
}
