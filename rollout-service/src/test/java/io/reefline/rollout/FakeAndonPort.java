package io.reefline.rollout;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Picks a free loopback port for {@link FakeAndon} before Quarkus boots and points {@code reefline.services.andon} at
 * it, so test runs of several checkouts on one machine never fight over a fixed port.
 */
public class FakeAndonPort implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Map.of("reefline.services.andon", "http://127.0.0.1:" + probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {}
}
