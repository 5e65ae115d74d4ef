package io.reefline.platform.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutgoingHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static Vertx vertx;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicReference<String> host = new AtomicReference<>();
    private final AtomicLong bytesWritten = new AtomicLong();

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        vertx.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/small", exchange -> {
            requests.incrementAndGet();
            host.set(exchange.getRequestHeaders().getFirst("Host"));
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/huge", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[8192];
            java.util.Arrays.fill(chunk, (byte) 'x');
            try (OutputStream out = exchange.getResponseBody()) {
                // 64 MB unless the reader stops early.
                for (int i = 0; i < 8192; i++) {
                    out.write(chunk);
                    bytesWritten.addAndGet(chunk.length);
                }
            } catch (IOException readerHungUp) {
                // expected: the client stopped reading at its cap
            }
        });
        server.createContext("/redirect", exchange -> {
            requests.incrementAndGet();
            exchange.getResponseHeaders().set("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static OutgoingHttp local() {
        return new OutgoingHttp(
                vertx, Destinations.of(Set.of("http", "https"), List.of(), List.of(), List.of("127.0.0.0/8", "::1")));
    }

    @Test
    void shouldSendNothingToALoopbackAddressByDefault() {
        OutgoingHttp http = new OutgoingHttp(vertx, Destinations.defaults());

        RefusedDestination refused =
                assertThrows(RefusedDestination.class, () -> http.get(url("/small"), Map.of(), TIMEOUT, 1024));
        ExecutionException async = assertThrows(
                ExecutionException.class,
                () -> http.send(HttpMethod.POST, url("/small"), Map.of(), new byte[] {1}, TIMEOUT, 0)
                        .get(5, TimeUnit.SECONDS));

        assertTrue(refused.getMessage().contains("loopback"), refused.getMessage());
        assertTrue(async.getCause() instanceof RefusedDestination, String.valueOf(async.getCause()));
        assertEquals(0, requests.get(), "no request reached the server");
        assertTrue(http.refusal(url("/small")).isPresent());
        assertTrue(
                http.refusal("http://localhost:" + server.getAddress().getPort())
                        .isPresent(),
                "checked by address");
    }

    @Test
    void shouldConnectToTheCheckedAddressKeepingTheNameInTheHostHeader() throws Exception {
        OutgoingHttp.Answer answer =
                local().get("http://localhost:" + server.getAddress().getPort() + "/small", Map.of(), TIMEOUT, 1024);

        assertEquals(200, answer.status());
        assertEquals("{\"status\":\"UP\"}", answer.text());
        assertFalse(answer.truncated());
        assertEquals("localhost:" + server.getAddress().getPort(), host.get());
    }

    @Test
    void shouldReadNoMoreThanTheCapOfAHugeAnswer() throws Exception {
        OutgoingHttp.Answer answer = local().get(url("/huge"), Map.of(), TIMEOUT, 4096);

        assertEquals(200, answer.status());
        assertEquals(4096, answer.body().length);
        assertTrue(answer.truncated());
        byte[] expected = new byte[4096];
        java.util.Arrays.fill(expected, (byte) 'x');
        assertArrayEquals(expected, answer.body());
        Thread.sleep(200);
        assertTrue(bytesWritten.get() < 16L * 1024 * 1024, "the sender was cut off early: " + bytesWritten.get());
    }

    @Test
    void shouldNeverFollowARedirect() throws Exception {
        OutgoingHttp.Answer answer = local().get(url("/redirect"), Map.of(), TIMEOUT, 1024);

        assertEquals(302, answer.status());
        assertEquals(1, requests.get());
    }

    @Test
    void shouldPostTheBodyAndDiscardTheAnswerWhenTheCapIsZero() throws Exception {
        OutgoingHttp.Answer answer = local().send(
                        HttpMethod.POST,
                        url("/small"),
                        Map.of("Content-Type", "application/json"),
                        "{}".getBytes(StandardCharsets.UTF_8),
                        TIMEOUT,
                        0)
                .get(5, TimeUnit.SECONDS);

        assertEquals(200, answer.status());
        assertEquals(0, answer.body().length);
        assertEquals(1, requests.get());
    }
}
