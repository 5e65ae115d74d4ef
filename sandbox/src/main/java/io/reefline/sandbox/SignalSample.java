package io.reefline.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;

/**
 * What an instance's sidecar reports about one window of its instance ({@code POST <cell>/api/signals}): the
 * instance's own counters, the health checks it ran and the restarts it saw.
 *
 * @param requests requests served in the window; null when the instance exposes no counters (it never came up)
 * @param errors 5xx answers in the window; null with {@code requests}
 * @param latencyMs mean request latency in the window; null when no request was served
 */
record SignalSample(
        String instanceId,
        String reef,
        String version,
        Instant from,
        Instant to,
        Long requests,
        Long errors,
        Double latencyMs,
        int healthChecks,
        int healthFailures,
        int restarts) {

    /** The key that makes a resend of this window harmless. */
    String idempotencyKey() {
        return "signal-" + instanceId + "-" + from.getEpochSecond();
    }

    String toJson() {
        ObjectNode json = Serialization.jsonMapper().createObjectNode();
        json.put("instanceId", instanceId);
        json.put("reef", reef);
        json.put("version", version);
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("requests", requests);
        json.put("errors", errors);
        json.put("latencyMs", latencyMs == null ? null : Math.round(latencyMs * 1000) / 1000.0);
        json.put("healthChecks", healthChecks);
        json.put("healthFailures", healthFailures);
        json.put("restarts", restarts);
        return json.toString();
    }
}
