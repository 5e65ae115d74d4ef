package io.reefline.andon;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class WebhookTest {

    private static final String SECRET = "a-shared-secret-of-32-characters";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message as the receiver got it. */
    record Received(String signature, String event, String body) {}

    private HttpServer receiver;
    private ExecutorService receiverThreads;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);
    private final CountDownLatch entered = new CountDownLatch(1);

    @BeforeEach
    void startReceiver() throws IOException {
        TestData.clear();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiverThreads = Executors.newFixedThreadPool(4);
        receiver.setExecutor(receiverThreads);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            entered.countDown();
            try {
                hold.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean fail = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
            if (!fail) {
                received.add(new Received(
                        exchange.getRequestHeaders().getFirst("X-Reefline-Signature"),
                        exchange.getRequestHeaders().getFirst("X-Reefline-Event"),
                        body));
            }
            exchange.sendResponseHeaders(fail ? 500 : 200, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stopReceiver() {
        hold.countDown();
        receiver.stop(0);
        receiverThreads.shutdownNow();
    }

    @Test
    void shouldSendSignedSlackMessagesOnPullAndResolve() throws Exception {
        long webhook = register(SECRET);
        long cord = TestData.pull("Checkout <button> is gone", "release:2026.11.3", "");
        Received pulled = received.poll(10, TimeUnit.SECONDS);
        assertEquals("cord.pulled", pulled.event());
        assertEquals(hmac(SECRET, pulled.body()), pulled.signature());
        JsonNode message = JSON.readTree(pulled.body());
        assertTrue(message.get("text").asText().contains("#" + cord + " pulled by vera.viewer"));
        assertEquals("section", message.get("blocks").get(0).get("type").asText());
        assertTrue(message.get("blocks").get(0).get("text").get("text").asText().contains("&lt;button&gt;"));

        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"resolution\":\"Button restored\",\"fixVersion\":\"2026.11.4\"}")
                .header("If-Match", "*")
                .post("/api/cords/" + cord + "/resolve")
                .then()
                .statusCode(200);
        Received resolved = received.poll(10, TimeUnit.SECONDS);
        assertEquals("cord.resolved", resolved.event());
        assertEquals(hmac(SECRET, resolved.body()), resolved.signature());
        assertTrue(JSON.readTree(resolved.body()).get("text").asText().contains("fix in 2026.11.4"));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> operator()
                        .get("/api/webhooks/" + webhook + "/deliveries")
                        .then()
                        .statusCode(200)
                        .body("items.event", contains("cord.resolved", "cord.pulled"))
                        .body("items.status", contains("delivered", "delivered")));
    }

    @Test
    void shouldShowTheSecretOnlyWhenTheWebhookIsCreated() {
        String generated = operator()
                .body("{\"url\":\"" + url() + "\",\"description\":\"#releases\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(201)
                .body("signatureHeader", equalTo("X-Reefline-Signature"))
                .extract()
                .path("secret");
        assertEquals(64, generated.length());
        operator()
                .get("/api/webhooks")
                .then()
                .statusCode(200)
                .body("[0].description", equalTo("#releases"))
                .body("[0]", not(hasKey("secret")));
    }

    @Test
    void shouldRetryAFailingWebhookWithBackoffAndLogEveryAttempt() throws Exception {
        failuresLeft.set(2);
        long webhook = register(SECRET);
        TestData.pull("Upgrades stall");
        Received delivered = received.poll(15, TimeUnit.SECONDS);
        assertEquals("cord.pulled", delivered.event());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> operator()
                        .get("/api/webhooks/" + webhook + "/deliveries")
                        .then()
                        .body("items[0].status", equalTo("delivered"))
                        .body("items[0].attempts", equalTo(3))
                        .body("items[0].lastStatusCode", equalTo(200)));
    }

    @Test
    void shouldAnswerPullsWhileTheWebhookReceiverHangs() throws Exception {
        hold = new CountDownLatch(1);
        long webhook = register(SECRET);
        TestData.pull("First pull: its webhook message will hang");
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the dispatcher reached the receiver");

        // The receiver still holds the first message; a pull answers all the same and the line stops.
        TestData.pull("Second pull while the receiver hangs");
        given().auth()
                .oauth2(TestTokens.viewer())
                .get("/api/status")
                .then()
                .body("state", equalTo("STOPPED"))
                .body("openCords.size()", equalTo(2));
        assertEquals(1, hold.getCount(), "the receiver was still blocked during the pull");

        hold.countDown();
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> operator()
                        .get("/api/webhooks/" + webhook + "/deliveries")
                        .then()
                        .body("items.status", contains("delivered", "delivered")));
    }

    @Test
    void shouldLetOnlyOperatorsManageWebhooks() {
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"url\":\"" + url() + "\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(403)
                .contentType("application/problem+json");
        operator()
                .body("{\"url\":\"ftp://example.org/x\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("url"));
        operator()
                .body("{\"url\":\"" + url() + "\",\"secret\":\"short\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .body("violations.field", hasItem("secret"));
        long webhook = register(SECRET);
        operator().delete("/api/webhooks/" + webhook).then().statusCode(204);
        operator().delete("/api/webhooks/" + webhook).then().statusCode(404);
        operator().get("/api/webhooks/" + webhook + "/deliveries").then().statusCode(404);
        operator().get("/api/webhooks").then().body("size()", equalTo(0));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                "http://[fd00:ec2::254]/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://169.254.10.1/hook",
                "http://[fe80::1]/hook",
                "http://0.0.0.0:8083/api/cords",
                "http://127.0.0.2:8083/api/cords"
            })
    void shouldRefuseWebhooksToMetadataLinkLocalAndLoopbackAddresses(String url) {
        // The test profile reaches 127.0.0.1 (the receiver) only; every other loopback address is refused as by
        // default.
        operator()
                .body("{\"url\":\"" + url + "\",\"secret\":\"" + SECRET + "\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", contains("url"))
                .body("violations[0].message", containsString("is not an allowed destination"));
        operator().get("/api/webhooks").then().body("size()", equalTo(0));
    }

    @Test
    void shouldNotSendADeliveryWhoseDestinationIsRefusedWhenItIsDue() throws Exception {
        // Stored before the rule existed (or its name now resolves elsewhere): checked again at delivery time.
        long webhook = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEntity stored = new WebhookEntity();
            stored.url = "http://169.254.169.254/latest/meta-data/";
            stored.secret = SECRET;
            stored.createdBy = "before-the-rule";
            stored.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
            stored.persist();
            return stored.id;
        });
        TestData.pull("Upgrades stall");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> operator()
                        .get("/api/webhooks/" + webhook + "/deliveries")
                        .then()
                        .body("items[0].attempts", greaterThanOrEqualTo(1))
                        .body("items[0].status", not(equalTo("delivered")))
                        .body("items[0].lastStatusCode", nullValue())
                        .body(
                                "items[0].lastError",
                                equalTo("Refused destination: 169.254.169.254 is a cloud metadata endpoint")));
    }

    private long register(String secret) {
        Number id = operator()
                .body("{\"url\":\"" + url() + "\",\"secret\":\"" + secret + "\"}")
                .post("/api/webhooks")
                .then()
                .statusCode(201)
                .body("secret", equalTo(secret))
                .extract()
                .path("id");
        return id.longValue();
    }

    private String url() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }

    private static io.restassured.specification.RequestSpecification operator() {
        return given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
