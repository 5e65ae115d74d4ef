package io.reefline.sidecar;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on 127.0.0.1 standing in for the instance, andon-service or metrics-service. */
final class FakeServer implements AutoCloseable {

    /** A request as the server got it. */
    record Request(String method, String path, String authorization, String idempotencyKey, String body) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String body = "";
    private volatile int failuresLeft;
    private final Map<String, String> bodyOfPath = new ConcurrentHashMap<>();

    FakeServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String received = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    received));
            int answer = status;
            if (failuresLeft > 0) {
                failuresLeft--;
                answer = 503;
            }
            String path = exchange.getRequestURI().getPath();
            byte[] bytes = bodyOfPath.getOrDefault(path, body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void answer(int status, String body) {
        this.status = status;
        this.body = body;
    }

    /** What {@code path} answers (with the server's status), instead of the common body. */
    void answer(String path, String body) {
        bodyOfPath.put(path, body);
    }

    void failNext(int times) {
        this.failuresLeft = times;
    }

    List<Request> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
