package io.reefline.flag;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rollout-service's instance inventory as the tenant directory reads it, on the free port
 * {@link FakeServicePorts} chose: the given instances one per page (so paging is exercised), and
 * unreachable while stopped.
 */
final class FakeRollout {

    private static final Pattern PAGE = Pattern.compile("(?:^|&)page=(\\d+)");

    private final List<String> instances;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private HttpServer server;

    /** Each instance is a JSON object as rollout's {@code InstanceView} renders it. */
    FakeRollout(List<String> instances) {
        this.instances = List.copyOf(instances);
    }

    void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FakeServicePorts.portOf("rollout")), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/instances", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String query = exchange.getRequestURI().getRawQuery();
            Matcher page = PAGE.matcher(query == null ? "" : query);
            int index = page.find() ? Integer.parseInt(page.group(1)) : 0;
            String items = index < instances.size() ? instances.get(index) : "";
            byte[] body = ("{\"page\":" + index + ",\"size\":1,\"total\":" + instances.size() + ",\"items\":[" + items
                            + "]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
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

    List<String> authorizations() {
        return authorizations;
    }
}
