package io.reefline.cell.relay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * What an instance's sidecar may send with its pod's token: its own instance's work, nothing else. A pull must be for
 * the release its pod runs ({@code scope} {@code release:<version>}, compared as versions; a {@code suspectedRelease},
 * if any, the same; an {@code instanceId}, if any, its own): no {@code global} or {@code reef:} cords, no cords for
 * releases it does not run. A downtime report and a signal sample must be about its own instance only, never a
 * service. The answer is why
 * not (a 403), or empty when allowed. The body has passed {@link RelayValidation} before.
 */
final class InstanceWork {

    private InstanceWork() {}

    static Optional<String> pull(InstanceCaller instance, JsonNode pull) {
        String who = "Instance " + instance.instanceId();
        JsonNode named = pull.get("instanceId");
        if (named != null && !named.isNull() && !instance.instanceId().equals(named.asText())) {
            return Optional.of(who + " may pull a cord for itself only, not for instance " + named.asText());
        }
        if (instance.version() == null) {
            return Optional.of(who + " runs no versioned release (its pod's image is " + instance.image()
                    + "), so it has no release to pull a cord for");
        }
        String allowed = "release:" + instance.version();
        String scope = pull.path("scope").asText("");
        if (!scope.startsWith("release:") || !ReleaseVersions.same(scope.substring(8), instance.version())) {
            return Optional.of(
                    who + " may pull a cord only for the release it runs (scope " + allowed + "), not " + scope);
        }
        JsonNode suspected = pull.get("suspectedRelease");
        if (suspected != null && !suspected.isNull() && !ReleaseVersions.same(suspected.asText(), instance.version())) {
            return Optional.of(who + " may suspect only the release it runs (" + instance.version() + "), not "
                    + suspected.asText());
        }
        return Optional.empty();
    }

    /**
     * A signal sample must be about its own instance. Its version is what the sidecar observed and is not compared
     * with the pod's image tag (an instance may name its version otherwise); a sidecar can only speak for itself.
     */
    static Optional<String> signal(InstanceCaller instance, JsonNode sample) {
        String named = sample.path("instanceId").asText("");
        if (!instance.instanceId().equals(named)) {
            return Optional.of("Instance " + instance.instanceId() + " may report its own signals only, not those of"
                    + " instance " + named);
        }
        return Optional.empty();
    }

    static Optional<String> downtime(InstanceCaller instance, JsonNode report) {
        if (report.isArray()) {
            for (JsonNode event : report) {
                Optional<String> refusal = event(instance, event);
                if (refusal.isPresent()) {
                    return refusal;
                }
            }
            return Optional.empty();
        }
        return event(instance, report);
    }

    private static Optional<String> event(InstanceCaller instance, JsonNode event) {
        JsonNode service = event.get("service");
        if (service != null && !service.isNull()) {
            return Optional.of("Instance " + instance.instanceId() + " may report its own downtime only, not that of"
                    + " service " + service.asText());
        }
        String named = event.path("instanceId").asText("");
        if (!instance.instanceId().equals(named)) {
            return Optional.of("Instance " + instance.instanceId() + " may report its own downtime only, not that of"
                    + " instance " + named);
        }
        return Optional.empty();
    }
}
