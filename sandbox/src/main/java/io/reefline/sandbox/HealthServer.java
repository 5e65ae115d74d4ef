package io.reefline.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The endpoints of every sandbox instance: {@code GET /instances/{reef}/{id}/health}, standing in for the product's own
 * health check that the rollout-service calls after an upgrade, and {@code GET /instances/{reef}/{id}/metrics}, the
 * product's request counters in the Prometheus text format, as a sidecar or Prometheus scrapes them.
 *
 * <p>An instance is {@code UP} while one of its pods is available, and then names the image it serves, which lets a
 * post-upgrade check tell the new build from the old one. It is {@code DOWN} while no pod is available, as after a
 * rollout of a {@code broken} image, and for a few seconds around each restart of a {@code crashloop} build. While
 * it is down its metrics endpoint does not answer either (503).
 */
final class HealthServer implements AutoCloseable {

    private static final Pattern INSTANCE_PATH = Pattern.compile("/instances/([^/]+)/([^/]+)/(health|metrics)");

    /** The content type of the Prometheus text exposition format. */
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final Function<String, Optional<Kubelet>> kubeletOfReef;
    private final TrafficModel model;
    private final Clock clock;

    private HealthServer(
            HttpServer server, Function<String, Optional<Kubelet>> kubeletOfReef, TrafficModel model, Clock clock) {
        this.server = server;
        this.kubeletOfReef = kubeletOfReef;
        this.model = model;
        this.clock = clock;
    }

    /**
     * Starts listening on 127.0.0.1; only the port is needed before the reefs exist, so the lookup of their kubelets
     * may be filled in later.
     */
    static HealthServer start(
            int port, Function<String, Optional<Kubelet>> kubeletOfReef, TrafficModel model, Clock clock)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        HealthServer health = new HealthServer(server, kubeletOfReef, model, clock);
        server.createContext("/instances/", health::handle);
        // A few sidecars scraping at once must not queue behind each other.
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-instances-http");
            thread.setDaemon(true);
            return thread;
        }));
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

    String metricsUrl(String reef, String instanceId) {
        return baseUrl() + "/instances/" + reef + "/" + instanceId + "/metrics";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = INSTANCE_PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                respond(exchange, 404, Map.of("status", "UNKNOWN", "detail", "no such endpoint"));
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET");
                respond(exchange, 405, Map.of("status", "UNKNOWN", "detail", "only GET is supported"));
                return;
            }
            Optional<InstanceTimeline> timeline =
                    kubeletOfReef.apply(path.group(1)).flatMap(kubelet -> kubelet.timeline(path.group(2)));
            long now = clock.millis();
            if (timeline.isEmpty()) {
                respond(exchange, 404, Map.of("status", "UNKNOWN", "detail", "no such instance"));
            } else if (path.group(3).equals("metrics")) {
                Optional<InstanceTimeline.Counters> counters = timeline.get().counters(model, now);
                if (counters.isEmpty()) {
                    respond(exchange, 503, Map.of("status", "DOWN"));
                } else {
                    respondText(exchange, prometheusText(counters.get()));
                }
            } else if (timeline.get().up(model, now)) {
                Map<String, String> body = new LinkedHashMap<>();
                body.put("status", "UP");
                body.put("image", timeline.get().runAt(now).orElseThrow().image());
                respond(exchange, 200, body);
            } else {
                respond(exchange, 503, Map.of("status", "DOWN"));
            }
        }
    }

    /** The product's counters since its process started, in the Prometheus text exposition format (0.0.4). */
    static String prometheusText(InstanceTimeline.Counters counters) {
        return "# HELP http_server_requests_total HTTP requests served since the process started.\n"
                + "# TYPE http_server_requests_total counter\n"
                + "http_server_requests_total " + counters.requests() + "\n"
                + "# HELP http_server_errors_total HTTP requests answered with a 5xx since the process started.\n"
                + "# TYPE http_server_errors_total counter\n"
                + "http_server_errors_total " + counters.errors() + "\n"
                + "# HELP http_server_request_duration_seconds Time spent serving HTTP requests.\n"
                + "# TYPE http_server_request_duration_seconds summary\n"
                + "http_server_request_duration_seconds_sum "
                + BigDecimal.valueOf(counters.latencySeconds())
                        .setScale(6, RoundingMode.HALF_UP)
                        .toPlainString()
                + "\n"
                + "http_server_request_duration_seconds_count " + counters.requests() + "\n"
                + "# HELP process_start_time_seconds Start time of the process since the Unix epoch in seconds.\n"
                + "# TYPE process_start_time_seconds gauge\n"
                + "process_start_time_seconds "
                + BigDecimal.valueOf(counters.processStartMillis(), 3).toPlainString()
                + "\n";
    }

    private static void respondText(HttpExchange exchange, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", PROMETHEUS_TEXT);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
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
        if (server.getExecutor() instanceof ExecutorService executor) {
            executor.shutdownNow();
        }
    }
}
