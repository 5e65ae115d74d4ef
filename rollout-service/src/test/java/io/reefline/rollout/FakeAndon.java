package io.reefline.rollout;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * andon-service's gate on the free port {@link FakeAndonPort} chose, started with the application so every
 * test class plans behind an open gate; a test may close it (423 with a cord) or stop it (unreachable), and puts it
 * back the way it found it.
 */
@Singleton
@Startup
public class FakeAndon {

    @ConfigProperty(name = "reefline.services.andon")
    String url;

    private volatile boolean open = true;
    private volatile Scripted scripted;

    /** An answer a test sets instead of open or closed. */
    record Scripted(int status, String contentType, String body) {}

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicReference<String> lastQuery = new AtomicReference<>();
    private final AtomicReference<String> lastAuthorization = new AtomicReference<>();
    private HttpServer server;

    @PostConstruct
    synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(
                    new InetSocketAddress("127.0.0.1", java.net.URI.create(url).getPort()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/gate", exchange -> {
            calls.incrementAndGet();
            lastQuery.set(exchange.getRequestURI().getRawQuery());
            lastAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            Scripted answer = scripted != null
                    ? scripted
                    : open
                            ? new Scripted(200, "application/json", "{\"allowed\":true}")
                            : new Scripted(
                                    423,
                                    "application/json",
                                    "{\"allowed\":false,\"cords\":[{\"id\":7,\"reason\":\"checkout errors\"}]}");
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @PreDestroy
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    void open(boolean open) {
        this.open = open;
        this.scripted = null;
    }

    void answer(int status, String contentType, String body) {
        this.scripted = new Scripted(status, contentType, body);
    }

    int calls() {
        return calls.get();
    }

    String lastQuery() {
        return lastQuery.get();
    }

    String lastAuthorization() {
        return lastAuthorization.get();
    }
}
