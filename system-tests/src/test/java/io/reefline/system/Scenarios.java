package io.reefline.system;

import static io.restassured.RestAssured.given;

import io.reefline.sandbox.Sandbox;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * Steps several scenarios share: the sandbox's reefs as rollout-service settings, a quick outbox, storing a ring
 * policy, registering a release, stopping what a scenario started.
 */
final class Scenarios {

    private Scenarios() {}

    /** Outbox settings that deliver within about a second after a receiver comes back. */
    static final Map<String, String> FAST_OUTBOX = Map.of(
            "reefline.outbox.relay-interval", "0.2s",
            "reefline.outbox.initial-backoff", "PT0.2S",
            "reefline.outbox.max-backoff", "PT1S");

    /**
     * The settings that point rollout-service at the sandbox's reefs ({@code reefline.kubeconfig},
     * {@code reefline.reefs.<reef>.*}), through the kubeconfig at {@code kubeconfig} (written before by the caller).
     */
    static Properties reefSettings(Sandbox sandbox, Path kubeconfig) {
        Path state = kubeconfig.resolveSibling("reefs.properties");
        Properties reefs = new Properties();
        try {
            sandbox.writeStateFile(state, kubeconfig);
            try (var in = Files.newInputStream(state)) {
                reefs.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return reefs;
    }

    /** Registers a release that may ignore maintenance windows (a reason is given), as an operator. */
    static void registerRelease(ServiceProcess rollout, ServiceKeys keys, String version, String image) {
        given().auth()
                .oauth2(keys.token("operator"))
                .contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"image\":\"" + image + "\","
                        + "\"ignoreWindows\":true,\"ignoreWindowsReason\":\"system test\"}")
                .when()
                .post(rollout.url() + "/api/releases")
                .then()
                .statusCode(201);
    }

    /** Replaces rollout-service's default ring policy with {@code policy} (as an admin, over the defaults' ETag). */
    static void storePolicy(ServiceProcess rollout, ServiceKeys keys, String policy) {
        given().auth()
                .oauth2(keys.token("admin"))
                .contentType(ContentType.JSON)
                .header("If-Match", "\"defaults\"")
                .body(policy)
                .when()
                .put(rollout.url() + "/api/policy")
                .then()
                .statusCode(200);
    }

    /** Stops every part that was started, in the order given; parts never started are null and skipped. */
    static void stop(AutoCloseable... parts) {
        for (AutoCloseable part : parts) {
            if (part == null) {
                continue;
            }
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("could not stop " + part + ": " + e);
            }
        }
    }
}
