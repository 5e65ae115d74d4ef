package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The Deployment statuses the simulated kubelet reports, shaped like those of the real deployment controller (same
 * condition types and reasons), so that code reading them works the same against a real reef.
 *
 * <p>Every count is written, zeros included: the real API omits zeros, but a client must treat a missing count as
 * zero anyway, and explicit zeros keep a status replacement from leaving stale counts behind.
 */
final class DeploymentStatuses {

    static final String AVAILABLE = "Available";
    static final String PROGRESSING = "Progressing";
    static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
    static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
    static final String REPLICA_SET_UPDATED = "ReplicaSetUpdated";
    static final String NEW_REPLICA_SET_AVAILABLE = "NewReplicaSetAvailable";
    static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

    private DeploymentStatuses() {}

    /** Every replica runs the template of {@code generation} and is available. */
    static DeploymentStatus available(long generation, int replicas, List<DeploymentCondition> previous, Instant now) {
        return counts(generation, replicas, replicas, replicas, replicas)
                .withConditions(
                        condition(
                                AVAILABLE,
                                true,
                                MINIMUM_REPLICAS_AVAILABLE,
                                "Deployment has minimum availability.",
                                previous,
                                now),
                        condition(
                                PROGRESSING,
                                true,
                                NEW_REPLICA_SET_AVAILABLE,
                                "ReplicaSet has successfully progressed.",
                                previous,
                                now))
                .build();
    }

    /**
     * A new template was seen: no replica runs it yet and the old pods keep serving as before.
     *
     * <p>{@code observedGeneration} deliberately stays at the generation of the old pods until the rollout has an
     * outcome. A real controller moves it at once and expects clients to compare the replica counts too; keeping it
     * back means that even a client checking only "observed generation caught up and available" cannot mistake the
     * old pods for a finished rollout.
     */
    static DeploymentStatus rolling(DeploymentStatus previous, int replicas, Instant now) {
        int available = count(previous.getAvailableReplicas());
        int ready = count(previous.getReadyReplicas());
        long observed = previous.getObservedGeneration() == null ? 0 : previous.getObservedGeneration();
        return counts(observed, replicas, 0, ready, available)
                .withConditions(
                        availability(available > 0 || replicas == 0, previous.getConditions(), now),
                        condition(
                                PROGRESSING,
                                true,
                                REPLICA_SET_UPDATED,
                                "ReplicaSet is progressing.",
                                previous.getConditions(),
                                now))
                .build();
    }

    /** The new template runs but its pods never become ready: the instance is down. */
    static DeploymentStatus failing(long generation, int replicas, List<DeploymentCondition> previous, Instant now) {
        return counts(generation, replicas, replicas, 0, 0)
                .withConditions(
                        availability(replicas == 0, previous, now),
                        condition(PROGRESSING, true, REPLICA_SET_UPDATED, "ReplicaSet is progressing.", previous, now))
                .build();
    }

    /** A failing rollout that has run out of time: the controller gives up and says so. */
    static DeploymentStatus deadlineExceeded(DeploymentStatus failing, Instant now) {
        List<DeploymentCondition> previous = failing.getConditions();
        DeploymentCondition availability = previous.stream()
                .filter(c -> AVAILABLE.equals(c.getType()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("A failing status has an Available condition"));
        return new DeploymentStatusBuilder(failing)
                .withConditions(
                        availability,
                        condition(
                                PROGRESSING,
                                false,
                                PROGRESS_DEADLINE_EXCEEDED,
                                "ReplicaSet has timed out progressing.",
                                previous,
                                now))
                .build();
    }

    private static DeploymentStatusBuilder counts(
            long observedGeneration, int replicas, int updated, int ready, int available) {
        return new DeploymentStatusBuilder()
                .withObservedGeneration(observedGeneration)
                .withReplicas(replicas)
                .withUpdatedReplicas(updated)
                .withReadyReplicas(ready)
                .withAvailableReplicas(available)
                .withUnavailableReplicas(Math.max(0, replicas - available));
    }

    private static DeploymentCondition availability(
            boolean available, List<DeploymentCondition> previous, Instant now) {
        return available
                ? condition(
                        AVAILABLE,
                        true,
                        MINIMUM_REPLICAS_AVAILABLE,
                        "Deployment has minimum availability.",
                        previous,
                        now)
                : condition(
                        AVAILABLE,
                        false,
                        MINIMUM_REPLICAS_UNAVAILABLE,
                        "Deployment does not have minimum availability.",
                        previous,
                        now);
    }

    /** A condition keeps its transition time while its status stays the same, as in the real API. */
    private static DeploymentCondition condition(
            String type,
            boolean status,
            String reason,
            String message,
            List<DeploymentCondition> previous,
            Instant now) {
        String statusText = status ? "True" : "False";
        String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
        String transitioned = previous == null
                ? timestamp
                : previous.stream()
                        .filter(c -> type.equals(c.getType()) && statusText.equals(c.getStatus()))
                        .map(DeploymentCondition::getLastTransitionTime)
                        .findFirst()
                        .orElse(timestamp);
        return new DeploymentConditionBuilder()
                .withType(type)
                .withStatus(statusText)
                .withReason(reason)
                .withMessage(message)
                .withLastUpdateTime(timestamp)
                .withLastTransitionTime(transitioned)
                .build();
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
