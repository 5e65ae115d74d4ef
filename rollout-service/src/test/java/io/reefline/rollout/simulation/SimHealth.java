package io.reefline.rollout.simulation;

import io.reefline.rollout.upgrade.reconcile.HealthProbe;

/**
 * The instances' health URLs ({@code http://<instance>.<reef>.sim/health}): failing when the Deployment is not on the
 * expected image or not available, when the rollout was decided unhealthy, and now and then for nothing (flapping).
 */
final class SimHealth implements HealthProbe {

    private final FleetSimulation sim;
    long checks;

    SimHealth(FleetSimulation sim) {
        this.sim = sim;
    }

    @Override
    public Result check(String url, String expectedImage) {
        checks++;
        String instanceId = url.substring("http://".length(), url.indexOf('.'));
        SimCluster.Deployment d = sim.cluster.deployment(instanceId);
        if (d == null) {
            return new Result(false, "connection refused");
        }
        if (!expectedImage.equals(d.image) || !d.available) {
            return new Result(false, "HTTP 503 (running " + d.image + ", available " + d.available + ")");
        }
        if (d.unhealthy) {
            return new Result(false, "HTTP 500 from /health");
        }
        if (sim.chaos.roll("health-flap", sim.config.healthFlapRate())) {
            return new Result(false, "timeout after 5s");
        }
        return new Result(true, "HTTP 200");
    }
}
