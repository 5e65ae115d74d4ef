package io.reefline.cell.relay;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A sandbox reef (a Kubernetes API with instance pods, whose TokenReviews it answers) as the cell's own reef. The
 * tests find its pods' tokens as sidecars would, in files ({@code <sandbox-reef.tokens>/<kind>/<reef>/<instance>/token}):
 * kind {@code cell} for the cell's audience, {@code other-audience} for another one, {@code expired} for tokens that
 * expired five minutes ago.
 */
public class SandboxReefResource implements QuarkusTestResourceLifecycleManager {

    static final String REEF = "reef-us-1";
    static final String[] INSTANCES = {"i-us1-001", "i-us1-002", "i-us1-003"};

    private Sandbox sandbox;

    @Override
    public Map<String, String> start() {
        try {
            sandbox = Sandbox.start(SandboxSpec.defaults()
                    .withReefs(1)
                    .withInstancesPerReef(INSTANCES.length)
                    .withKubeletDelay(Duration.ofMillis(100))
                    .withMalformedInstance(false));
            Path tokens = Files.createTempDirectory("reefline-cell-pod-tokens");
            sandbox.writeServiceAccountTokens(tokens.resolve("cell"), Sandbox.CELL_AUDIENCE);
            sandbox.writeServiceAccountTokens(tokens.resolve("other-audience"), "https://kubernetes.default.svc");
            for (String instance : INSTANCES) {
                Path expired = tokens.resolve("expired").resolve(REEF).resolve(instance);
                Files.createDirectories(expired);
                Files.writeString(
                        expired.resolve("token"),
                        sandbox.serviceAccountToken(REEF, instance, Sandbox.CELL_AUDIENCE, Duration.ofMinutes(-5)));
            }
            return Map.of(
                    "reefline.cell.instances.api-server", sandbox.reef(REEF).url(),
                    "sandbox-reef.tokens", tokens.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }
}
