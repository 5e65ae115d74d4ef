package io.reefline.flag;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Picks free loopback ports for {@link FakeAndonGate} and {@link FakeRollout} before Quarkus boots and points {@code
 * reefline.services.andon} and {@code reefline.services.rollout} at them, so test runs of several checkouts on one
 * machine never fight over a fixed port.
 */
public class FakeServicePorts implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "reefline.services.andon", "http://127.0.0.1:" + freePort(),
                "reefline.services.rollout", "http://127.0.0.1:" + freePort());
    }

    @Override
    public void stop() {}

    /** The port the running application was told a fake service listens on. */
    static int portOf(String service) {
        String url = ConfigProvider.getConfig().getValue("reefline.services." + service, String.class);
        return URI.create(url).getPort();
    }

    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
