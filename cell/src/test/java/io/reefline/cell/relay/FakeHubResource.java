package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reefline.testing.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the hub's andon-service, metrics-service and rollout-service in the cell's tests: a JDK HTTP server on a free port,
 * bound before Quarkus boots. It takes forwarded pulls as andon does (one cord per {@code Idempotency-Key}: 201, then
 * 200), the cell's heartbeats ({@code PUT /api/cells/<reef>}), downtime reports and
 * signal samples ({@code POST /api/signals}: 202, then 200 for the same key), and remembers every request. Tests read and steer it over HTTP ({@code GET /_received},
 * {@code POST /_answer?status=503}), since they run in another class loader than this resource.
 */
public class FakeHubResource implements QuarkusTestResourceLifecycleManager {

    static final String SERVICE_TOKEN_SUBJECT = "cell-reef-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final ArrayNode received = JSON.createArrayNode();
    private final Set<String> cordKeys = ConcurrentHashMap.newKeySet();
    private final Set<String> signalKeys = ConcurrentHashMap.newKeySet();
    private volatile int forcedStatus;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.start();
            String hub = "http://127.0.0.1:" + server.getAddress().getPort();
            String serviceToken = TestTokens.token(SERVICE_TOKEN_SUBJECT, "cell");
            Path keys = Path.of(System.getProperty("reefline-test.key-directory"));
            Path data = Files.createTempDirectory("reefline-cell-test");
            return Map.of(
                    "reefline.services.andon", hub,
                    "reefline.services.metrics", hub,
                    "reefline.services.rollout", hub,
                    "reefline.services.flag", hub,
                    "reefline.auth.service-token", serviceToken,
                    "reefline.cell.data-dir", data.toString(),
                    "mp.jwt.verify.publickey.location",
                            keys.resolve("public-key.pem").toUri().toString(),
                    "fake-hub.url", hub);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        switch (path) {
            case "/_received" -> {
                synchronized (received) {
                    answer(exchange, 200, received.toString());
                }
            }
            case "/_reset" -> {
                synchronized (received) {
                    received.removeAll();
                }
                cordKeys.clear();
                signalKeys.clear();
                forcedStatus = 0;
                answer(exchange, 204, null);
            }
            case "/_answer" -> {
                String query = exchange.getRequestURI().getQuery();
                forcedStatus = Integer.parseInt(query.substring(query.indexOf('=') + 1));
                answer(exchange, 204, null);
            }
            default -> hub(exchange, path, body);
        }
    }

    /** What the hub's services would answer. */
    private void hub(HttpExchange exchange, String path, String body) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.put("method", exchange.getRequestMethod());
        request.put("path", path);
        request.put("authorization", exchange.getRequestHeaders().getFirst("Authorization"));
        request.put("idempotencyKey", exchange.getRequestHeaders().getFirst("Idempotency-Key"));
        request.put("body", body);
        int forced = forcedStatus;
        request.put("answered", forced == 0 ? 0 : forced);
        synchronized (received) {
            received.add(request);
        }
        if (forced != 0) {
            answer(exchange, forced, "{\"status\":" + forced + ",\"title\":\"forced by the test\"}");
            return;
        }
        if (path.equals("/api/cords/forwarded")) {
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            boolean created = cordKeys.add(key);
            answer(exchange, created ? 201 : 200, "{\"id\":1,\"state\":\"open\"}");
        } else if (path.startsWith("/api/cells/") && exchange.getRequestMethod().equals("PUT")) {
            answer(exchange, 200, "{\"state\":\"ok\"}");
        } else if (path.equals("/api/signals")) {
            // rollout-service: one sample per instance and window start (its Idempotency-Key), 202 then 200.
            boolean stored = signalKeys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            answer(exchange, stored ? 202 : 200, "{\"stored\":" + stored + "}");
        } else if (path.equals("/api/events/downtime")) {
            answer(exchange, 200, "{\"received\":1,\"stored\":1,\"duplicates\":0}");
        } else {
            answer(exchange, 404, "{\"status\":404}");
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
