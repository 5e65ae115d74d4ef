package io.reefline.platform.andon;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.platform.security.ServiceCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * The one way a service asks andon-service whether a release may move (rollout-service before it starts upgrades,
 * flag-service before it advances a release plan). Fail safe, and it never throws: only a 200
 * {@code {"allowed":true}} opens the gate; a 423 closes it naming the open cords (or, without cords, andon's own
 * reason, e.g. a reef's silent cell); any other answer, a garbled one, a timeout or an unreachable andon-service (after
 * retries, or at once while the circuit is open) closes it with the reason, so nothing moves while nobody can say it
 * may.
 */
@ApplicationScoped
public class AndonGateClient {

    private static final Logger LOG = Logger.getLogger(AndonGateClient.class);
    private static final int LOCKED = 423;

    private final AndonGateApi api;
    private final ServiceCredentials credentials;

    AndonGateClient(@RestClient AndonGateApi api, ServiceCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    /**
     * The gate for a move of {@code release} into {@code reef} and {@code ring}; a null parameter is covered (every
     * reef, every ring, or the global gate).
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = GateLocked.class)
    @CircuitBreaker(
            requestVolumeThreshold = 4,
            failureRatio = 0.75,
            delay = 2,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = GateLocked.class)
    @Fallback(value = ClosedOnFailure.class)
    public GateAnswer ask(String release, String reef, String ring) {
        JsonNode body;
        try {
            body = api.gate(credentials.authorization().orElse(null), release, reef, ring);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == LOCKED) {
                // A pulled cord is an answer, not a failure: no retry, and it does not trip the circuit.
                throw new GateLocked(reasonOf(e));
            }
            throw e;
        }
        if (body != null
                && body.path("allowed").isBoolean()
                && body.path("allowed").booleanValue()) {
            return GateAnswer.open();
        }
        return GateAnswer.closed("andon-service answered without allowing the move");
    }

    /** The reason a 423 names: its open cords, else andon's own reason. */
    static String reasonOf(WebApplicationException locked) {
        try {
            JsonNode body = locked.getResponse().readEntity(JsonNode.class);
            List<String> cords = new ArrayList<>();
            for (JsonNode cord : body.path("cords")) {
                cords.add(("#" + cord.path("id").asText("?") + " "
                                + cord.path("reason").asText(""))
                        .strip());
            }
            if (!cords.isEmpty()) {
                return "open cords " + cords;
            }
            // Held without a cord: e.g. the reef's cell is silent or has cords that have not reached the hub.
            String reason = body.path("reason").asText("");
            return reason.isBlank() ? "the gate is closed" : reason;
        } catch (RuntimeException unreadable) {
            return "the gate is closed (its answer could not be read)";
        }
    }

    /** The gate answered 423: carried to the fallback, which turns it into the closed answer it names. */
    static final class GateLocked extends RuntimeException {
        GateLocked(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Whatever went wrong asking the gate, the answer is "closed", with the reason. */
    public static final class ClosedOnFailure implements FallbackHandler<GateAnswer> {
        @Override
        public GateAnswer handle(ExecutionContext context) {
            Throwable failure = context.getFailure();
            if (failure instanceof GateLocked locked) {
                return GateAnswer.closed(locked.getMessage());
            }
            LOG.warnf("andon gate unavailable, treating it as closed: %s", failure.toString());
            return GateAnswer.closed("andon-service could not be asked (" + what(failure) + "); failing safe");
        }

        private static String what(Throwable failure) {
            if (failure instanceof TimeoutException) {
                return "no answer in time";
            }
            if (failure instanceof CircuitBreakerOpenException) {
                return "unreachable: it failed repeatedly, asked again shortly";
            }
            if (failure instanceof WebApplicationException answered
                    && answered.getResponse().getStatus() / 100 != 2) {
                return "answered " + answered.getResponse().getStatus();
            }
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof ConnectException || cause instanceof UnknownHostException) {
                    return "unreachable: " + describe(cause);
                }
            }
            return "its answer could not be read: " + describe(failure);
        }

        private static String describe(Throwable failure) {
            return failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
    }
}
