package io.reefline.cell.follower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.cell.CellConfig;
import io.reefline.cell.HubCredentials;
import io.reefline.flag.ofrep.Ofrep;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A follower restarted while the primary is unreachable answers from the snapshot it kept, before any contact. */
class FollowerRestartTest {

    @TempDir
    Path data;

    @Test
    void aRestartedFollowerAnswersFromItsKeptSnapshotWithoutThePrimary() throws Exception {
        Files.createDirectories(data.resolve("flags"));
        Files.writeString(data.resolve("flags/snapshot.json"), FakePrimary.document(9, "true"), StandardCharsets.UTF_8);
        Follower follower = follower(data, unusedPort());
        follower.start(null);
        try {
            assertTrue(follower.ready());
            assertEquals(9, follower.catalog().version());
            Ofrep.Answer answer = new Ofrep(follower)
                    .evaluate("banner", FakePrimary.SDK_KEY, null, "{}".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, answer.status());
            assertTrue(new String(answer.body(), StandardCharsets.UTF_8).contains("\"value\":true"));
            assertTrue(follower.pollOnce().contains("ConnectException"), "the primary is not there");
            assertEquals(9, follower.catalog().version(), "a failed poll changes nothing");
        } finally {
            follower.stop(null);
        }
    }

    @Test
    void aDamagedSnapshotIsNotServedAndTheFollowerWaitsForThePrimary() throws Exception {
        Files.createDirectories(data.resolve("flags"));
        Files.writeString(
                data.resolve("flags/snapshot.json"), "{\"format\":1,\"catalogVersion\":", StandardCharsets.UTF_8);
        Follower follower = follower(data, unusedPort());
        follower.start(null);
        try {
            assertFalse(follower.ready());
            assertNull(follower.binding(FakePrimary.SDK_KEY));
            assertEquals(
                    401,
                    new Ofrep(follower)
                            .evaluateAll(FakePrimary.SDK_KEY, null, null, new byte[0])
                            .status());
        } finally {
            follower.stop(null);
        }
    }

    private static Follower follower(Path data, int primaryPort) {
        CellConfig cell = new CellConfig() {
            @Override
            public String reef() {
                return "reef-test";
            }

            @Override
            public String replica() {
                return "cell";
            }

            @Override
            public Path dataDir() {
                return data;
            }
        };
        FollowerConfig config = new FollowerConfig() {
            @Override
            public Duration pollInterval() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration maxBackoff() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration timeout() {
                return Duration.ofSeconds(1);
            }

            @Override
            public String name() {
                return "test";
            }
        };
        HubCredentials credentials =
                new HubCredentials(Optional.of("token"), Optional.empty(), "issuer", Optional.empty(), cell);
        return new Follower(config, cell, credentials, URI.create("http://127.0.0.1:" + primaryPort));
    }

    private static int unusedPort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
