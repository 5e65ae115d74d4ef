package io.reefline.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The health endpoints of every sandbox instance, {@code GET /instances/{reef}/{id}/health}, standing in for the
 * product's own health check that the rollout-service calls after an upgrade.
 *
 * <p>An instance is {@code UP} while one of its pods is available, and then names the image it serves, which lets a
 * post-upgrade check tell the new build from the old one. It is {@code DOWN} while no pod is available, as after a
 * rollout of a {@code broken} image.
 */
final class HealthServer implements AutoCloseable {

    private static final Pattern HEALTH_PATH = Pattern.compile("/instances/([^/]+)/([^/]+)/health");

    private final HttpServer server;
    private final Function<String, Optional<Kubelet>> kubeletOfReef;

    private HealthServer(HttpServer server, Function<String, Optional<Kubelet>> kubeletOfReef) {
        this.server = server;
        this.kubeletOfReef = kubeletOfReef;
    }

    /**
     * Starts listening on 127.0.0.1; only the port is needed before the reefs exist, so the lookup of their kubelets
     * may be filled in later.
     */
    static HealthServer start(int port, Function<String, Optional<Kubelet>> kubeletOfReef) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        HealthServer health = new HealthServer(server, kubeletOfReef);
        server.createContext("/instances/", health::handle);
        server.start();
        return health;
    }

    /** For example {@code http://127.0.0.1:38211}. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String healthUrl(String reef, String instanceId) {
        return baseUrl() + "/instances/" + reef + "/" + instanceId + "/health";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = HEALTH_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                respond(exchange, 404, Map.of("status", "UNKNOWN", "detail", "no such endpoint"));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, Map.of("status", "UNKNOWN", "detail", "only GET is supported"));
                return;
            }
            Optional<Kubelet.Health> health =
                    kubeletOfReef.apply(path.group(1)).flatMap(kubelet -> kubelet.health(path.group(2)));
            if (health.isEmpty()) {
                respond(exchange, 404, Map.of("status", "UNKNOWN", "detail", "no such instance"));
            } else if (health.get().up()) {
                Map<String, String> body = new LinkedHashMap<>();
                body.put("status", "UP");
                body.put("image", health.get().image());
                respond(exchange, 200, body);
            } else {
                respond(exchange, 503, Map.of("status", "DOWN"));
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, String> body) throws IOException {
        byte[] bytes = Serialization.asJson(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
