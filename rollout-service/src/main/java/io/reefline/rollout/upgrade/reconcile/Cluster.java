package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.RolloutObservation;
import java.util.Optional;

/** The instance Deployments of every reef. Every call may throw {@link ClusterException}. */
public interface Cluster {

    /** The instance's Deployment now; empty when it is gone. */
    Optional<LiveDeployment> find(String reef, String instanceId);

    /**
     * Changes the instance container's image from {@code expected} to {@code image}, refused (a 422) when the image is
     * no longer {@code expected}, so nobody else's change is overwritten.
     */
    void changeImage(String reef, LiveDeployment deployment, String expected, String image);

    /**
     * @param image the instance container's image (null when there is no such container)
     * @param healthUrl the instance's own health URL annotation, if any
     */
    record LiveDeployment(String name, String image, RolloutObservation rollout, Optional<String> healthUrl) {}
}
