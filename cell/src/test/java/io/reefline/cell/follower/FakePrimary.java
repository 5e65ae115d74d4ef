package io.reefline.cell.follower;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reefline.flag.ofrep.SdkKeyHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * flag-service's replication endpoint as a follower sees it, on a free port chosen before Quarkus boots: it serves
 * whatever snapshot document the test published (304 when the follower already holds it), and refuses connections
 * while stopped. The follower's data folder is a fresh temporary one.
 */
public class FakePrimary implements QuarkusTestResourceLifecycleManager {

    static final String SDK_KEY = "cell-test-key";
    static final String TOKEN = "cell-test-service-token";

    private static volatile String snapshot;
    private static volatile String tag;
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();
    private static int port;
    private static HttpServer server;
    static Path dataDir;

    @Override
    public Map<String, String> start() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
            dataDir = Files.createTempDirectory("cell-test-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        publish(1, "false");
        up();
        return Map.of(
                "reefline.services.flag",
                "http://127.0.0.1:" + port,
                "reefline.cell.data-dir",
                dataDir.toString(),
                "reefline.auth.service-token",
                TOKEN,
                "reefline.cell.follower.poll-interval",
                "100ms",
                "reefline.cell.follower.max-backoff",
                "200ms");
    }

    @Override
    public void stop() {
        down();
    }

    /** A snapshot with one environment, one key and one tenant, whose flag {@code banner} serves {@code value}. */
    static void publish(long version, String defaultVariant) {
        snapshot = document(version, defaultVariant);
        tag = "\"" + version + "-test\"";
    }

    static String document(long version, String defaultVariant) {
        return """
                {"format":1,"catalogVersion":%d,
                 "environments":{"production":{"flagd":{"flags":{
                   "banner":{"state":"ENABLED","variants":{"true":true,"false":false},"defaultVariant":"%s",
                     "targeting":{"if":[{"==":[{"var":"reef"},"reef-eu-1"]},"true",null]}},
                   "split":{"state":"ENABLED","variants":{"a":"a","b":"b"},"defaultVariant":"a",
                     "targeting":{"fractional":[["a",50],["b",50]]}}}},
                   "bucketedByTargetingKey":["split"]}},
                 "keys":{"%s":{"environment":"production","revoked":false}},
                 "tenants":{"acme":{"reef":"reef-eu-1","active":true}}}
                """.formatted(version, defaultVariant, SdkKeyHash.of(SDK_KEY));
    }

    static synchronized void up() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/replication/snapshot", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String current = tag;
            if (current.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.getResponseHeaders().set("ETag", current);
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
            byte[] body = snapshot.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("ETag", current);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    static synchronized void down() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    static List<String> authorizations() {
        return authorizations;
    }
}
