package io.reefline.flag;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * andon-service's gate as the release-plan job sees it, on the free port {@link FakeServicePorts} chose:
 * open (200) or closed (423), and unreachable while stopped.
 */
final class FakeAndonGate {

    private volatile boolean open = true;
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private HttpServer server;

    void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FakeServicePorts.portOf("andon")), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/gate", exchange -> {
            lastQuery.set(exchange.getRequestURI().getRawQuery());
            lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (open
                            ? "{\"allowed\":true}"
                            : "{\"allowed\":false,\"cords\":[{\"id\":7,\"reason\":\"checkout errors\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(open ? 200 : 423, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    void open(boolean open) {
        this.open = open;
    }

    String lastQuery() {
        return lastQuery.get();
    }

    String lastAuthorization() {
        return lastAuthorization.get();
    }
}
