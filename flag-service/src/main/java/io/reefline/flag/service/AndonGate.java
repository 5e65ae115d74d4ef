package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.platform.security.ServiceCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Asks andon-service whether a release plan may move. Fail safe: only a 200 {@code {"allowed":true}} opens the gate;
 * a 423 or any other answer closes it, and a gate that cannot be reached throws (after retries, or at once while the
 * circuit is open), which callers treat as closed as well.
 */
@ApplicationScoped
public class AndonGate {

    /** What the gate said, and why it is closed. */
    public record Answer(boolean allowed, String reason) {

        static Answer open() {
            return new Answer(true, null);
        }

        public static Answer closed(String reason) {
            return new Answer(false, reason);
        }
    }

    private static final int LOCKED = 423;

    private final AndonGateApi api;
    private final ServiceCredentials credentials;

    AndonGate(@RestClient AndonGateApi api, ServiceCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    /** The gate for a move of {@code release} into {@code ring}; null parameters are covered. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 2, delayUnit = ChronoUnit.SECONDS)
    public Answer ask(String release, String ring) {
        JsonNode body;
        try {
            body = api.gate(credentials.authorization().orElse(null), release, ring);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == LOCKED) {
                return Answer.closed("andon gate closed" + cords(e));
            }
            throw e;
        }
        if (body != null && body.path("allowed").asBoolean(false)) {
            return Answer.open();
        }
        return Answer.closed("andon gate answered without allowing the move");
    }

    private static String cords(WebApplicationException e) {
        try {
            JsonNode body = e.getResponse().readEntity(JsonNode.class);
            List<String> cords = new ArrayList<>();
            for (JsonNode cord : body.path("cords")) {
                cords.add(("#" + cord.path("id").asText("?") + " "
                                + cord.path("reason").asText(""))
                        .strip());
            }
            return cords.isEmpty() ? "" : ": open cords " + cords;
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
