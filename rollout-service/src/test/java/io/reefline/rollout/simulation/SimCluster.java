package io.reefline.rollout.simulation;

import io.reefline.rollout.domain.upgrade.RolloutObservation;
import io.reefline.rollout.upgrade.reconcile.Cluster;
import io.reefline.rollout.upgrade.reconcile.ClusterException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every reef's instance Deployments, and a kubelet: a patched Deployment is observed, then becomes available after a
 * random delay, unless the simulation decided at the patch that this rollout never becomes available (then, like a
 * Deployment's progress deadline, it may report ProgressDeadlineExceeded). The image patch has JSON-patch test
 * semantics: refused with a 422 when the image is no longer the expected one. Every call may fail: a reef fault (no
 * answer, 5xx, 429), a refusal (409, 422), a timeout after the patch went through, a stale or failed read, a crash
 * before or after.
 */
final class SimCluster implements Cluster {

    /** One instance Deployment. */
    static final class Deployment {
        final String instanceId;
        final String reef;
        String image;
        long generation = 1;
        long observedGeneration = 1;
        boolean available = true;
        String failure;
        Instant observeAt;
        Instant availableAt;
        Instant failAt;
        /** This rollout never becomes available (decided at the patch). */
        boolean neverAvailable;
        /** Its health check fails for good on the current image (decided at the patch). */
        boolean unhealthy;
        /** What a stale read answers: the Deployment as it was before its last change. */
        LiveDeployment previous;

        Deployment(String instanceId, String reef, String image) {
            this.instanceId = instanceId;
            this.reef = reef;
            this.image = image;
        }

        LiveDeployment live() {
            boolean observed = observedGeneration >= generation;
            int updated = observed && (available || failure != null || neverAvailable) ? 1 : 0;
            return new LiveDeployment(
                    instanceId,
                    image,
                    new RolloutObservation(
                            image, generation, observedGeneration, 1, updated, available ? 1 : 0, available, failure),
                    Optional.empty());
        }
    }

    private final FleetSimulation sim;
    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    long patches;
    long finds;

    SimCluster(FleetSimulation sim) {
        this.sim = sim;
    }

    void add(String instanceId, String reef, String image) {
        deployments.put(instanceId, new Deployment(instanceId, reef, image));
    }

    Deployment deployment(String instanceId) {
        return deployments.get(instanceId);
    }

    Collection<Deployment> deployments() {
        return deployments.values();
    }

    @Override
    public Optional<LiveDeployment> find(String reef, String instanceId) {
        finds++;
        sim.chaos.maybeCrash("before reading Deployment " + instanceId);
        reefFault(reef, "list deployments");
        if (sim.chaos.roll("watch-error", sim.config.watchErrorRate())) {
            throw new ClusterException(0, "watch of reef " + reef + " dropped (connection reset)");
        }
        Deployment d = deployments.get(instanceId);
        if (d == null || !d.reef.equals(reef)) {
            return Optional.empty();
        }
        if (d.previous != null && sim.chaos.roll("stale-read", sim.config.staleReadRate())) {
            return Optional.of(d.previous);
        }
        return Optional.of(d.live());
    }

    @Override
    public void changeImage(String reef, LiveDeployment deployment, String expected, String image) {
        sim.chaos.maybeCrash("before patching " + deployment.name() + " to " + image);
        reefFault(reef, "patch deployment");
        if (sim.chaos.roll("api-refused", sim.config.apiRefusedRate())) {
            boolean conflict = sim.chaos.chance(0.5);
            throw new ClusterException(
                    conflict ? 409 : 422,
                    conflict
                            ? "Operation cannot be fulfilled: the object has been modified"
                            : "admission webhook denied");
        }
        Deployment d = deployments.get(deployment.name());
        if (d == null || !d.reef.equals(reef)) {
            throw new ClusterException(404, "deployments.apps \"" + deployment.name() + "\" not found");
        }
        if (!expected.equals(d.image)) {
            throw new ClusterException(
                    422, "test operation failed: image is " + d.image + ", not " + expected + " (JSON patch test)");
        }
        sim.invariants.patched(d, expected, image);
        patches++;
        d.previous = d.live();
        d.image = image;
        d.generation++;
        d.available = false;
        d.failure = null;
        d.failAt = null;
        boolean restore = sim.invariants.lastPatchWasRestore();
        d.neverAvailable = !restore && sim.chaos.roll("never-available", sim.config.neverAvailableRate());
        d.unhealthy = !restore && sim.chaos.roll("unhealthy", sim.config.unhealthyRate());
        d.observeAt = sim.now.plusSeconds(sim.chaos.between(5, 90));
        d.availableAt = sim.now.plusSeconds(60L * sim.chaos.between(1, 9));
        if (d.neverAvailable && sim.chaos.chance(0.5)) {
            d.failAt = sim.now.plus(Duration.ofMinutes(10)); // progressDeadlineSeconds: 600
        }
        if (sim.chaos.roll("timeout-after-patch", sim.config.timeoutAfterPatchRate())) {
            throw new ClusterException(0, "timeout waiting for the answer (the patch went through)");
        }
        sim.chaos.maybeCrash("after patching " + deployment.name() + " to " + image);
    }

    private void reefFault(String reef, String call) {
        if (sim.chaos.roll("api-error", sim.config.apiErrorRate())) {
            int[] statuses = {0, 500, 503, 429};
            int status = statuses[sim.chaos.random.nextInt(statuses.length)];
            throw new ClusterException(
                    status, call + " in reef " + reef + " failed" + (status == 0 ? ": timeout" : ""));
        }
    }

    /** The kubelet and the Deployment controller, once per tick. */
    void progress(Instant now) {
        for (Deployment d : deployments.values()) {
            if (d.observedGeneration < d.generation && !now.isBefore(d.observeAt)) {
                d.observedGeneration = d.generation;
            }
            if (d.observedGeneration < d.generation || d.available) {
                continue;
            }
            if (d.neverAvailable) {
                if (d.failAt != null && !now.isBefore(d.failAt) && d.failure == null) {
                    d.failure = "ProgressDeadlineExceeded: ReplicaSet has timed out progressing";
                }
            } else if (!now.isBefore(d.availableAt)) {
                d.available = true;
            }
        }
    }
}
