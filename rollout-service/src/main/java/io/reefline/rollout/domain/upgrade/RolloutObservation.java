package io.reefline.rollout.domain.upgrade;

/**
 * What an instance Deployment says about its rollout, read from its spec and status.
 *
 * @param image the configured container's image in the pod template
 * @param observedGeneration the generation the Deployment controller has acted on
 * @param available the {@code Available} condition is {@code True}
 * @param failure the reason and message of a {@code Progressing=False} condition (e.g. ProgressDeadlineExceeded), or
 *     {@code ReplicaFailure=True}; null when none
 */
public record RolloutObservation(
        String image,
        long generation,
        long observedGeneration,
        int replicas,
        int updatedReplicas,
        int availableReplicas,
        boolean available,
        String failure) {}
