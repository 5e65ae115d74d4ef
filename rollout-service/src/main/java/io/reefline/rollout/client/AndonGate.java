package io.reefline.rollout.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.platform.security.ServiceCredentials;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.upgrade.reconcile.Gate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.ExecutionContext;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.FallbackHandler;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks andon-service whether a release may move. Fail safe: only a 200 {@code {"allowed":true}} opens the gate; a 423
 * closes it naming the open cords, and any other answer, a timeout or an unreachable andon-service (after retries, or
 * at once while the circuit is open) closes it with the reason, so nothing starts while nobody can say it may.
 */
@ApplicationScoped
public class AndonGate implements Gate {

    private static final Logger LOG = Logger.getLogger(AndonGate.class);
    private static final int LOCKED = 423;

    private final AndonGateApi api;
    private final ServiceCredentials credentials;

    AndonGate(@RestClient AndonGateApi api, ServiceCredentials credentials) {
        this.api = api;
        this.credentials = credentials;
    }

    /** The gate for {@code release} across every reef and ring: one question per plan, not one per instance. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = GateLocked.class)
    @CircuitBreaker(
            requestVolumeThreshold = 4,
            failureRatio = 0.75,
            delay = 2,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = GateLocked.class)
    @Fallback(value = ClosedOnFailure.class)
    public GateState ask(String release) {
        return answer(release, null, null);
    }

    /** The gate for {@code release} moving into one reef and ring: what the scheduler asks before it starts upgrades. */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, abortOn = GateLocked.class)
    @CircuitBreaker(
            requestVolumeThreshold = 4,
            failureRatio = 0.75,
            delay = 2,
            delayUnit = ChronoUnit.SECONDS,
            skipOn = GateLocked.class)
    @Fallback(value = ClosedOnFailure.class)
    @Override
    public GateState ask(String release, String reef, String ring) {
        return answer(release, reef, ring);
    }

    private GateState answer(String release, String reef, String ring) {
        JsonNode body;
        try {
            body = api.gate(credentials.authorization().orElse(null), release, reef, ring);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == LOCKED) {
                // A pulled cord is an answer, not a failure: no retry, and it does not trip the circuit.
                throw new GateLocked(cords(e));
            }
            throw e;
        }
        if (body != null && body.path("allowed").asBoolean(false)) {
            return GateState.OPEN;
        }
        return GateState.closed("andon-service answered without allowing the release to move");
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

    /** The gate answered 423: carried to the fallback, which turns it into the closed state it names. */
    static final class GateLocked extends RuntimeException {
        GateLocked(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Whatever went wrong asking the gate, the answer is "closed", with the reason. */
    public static final class ClosedOnFailure implements FallbackHandler<GateState> {
        @Override
        public GateState handle(ExecutionContext context) {
            Throwable failure = context.getFailure();
            if (failure instanceof GateLocked locked) {
                return GateState.closed(locked.getMessage());
            }
            LOG.warnf("andon gate unavailable, treating it as closed: %s", failure.toString());
            return GateState.closed(
                    "andon-service could not be asked (" + failure.getClass().getSimpleName()
                            + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + "); failing safe");
        }
    }
}
