package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.upgrade.ClusterFault;
import io.reefline.rollout.domain.upgrade.StartRules;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.upgrade.reconcile.Cluster.LiveDeployment;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import java.util.Optional;

/**
 * A new upgrade the planner says may start now: the start rules are asked against the live Deployment, the PLANNED
 * record is stored (which also keeps the reef under its in-flight limit), and then the patch goes out.
 */
final class StartStep {

    private StartStep() {}

    /** Returns whether an upgrade was started. */
    static boolean apply(TickContext ctx, ActiveRelease release, InstancePlan next) {
        Optional<LiveDeployment> deployment = ctx.cluster.find(next.reef(), next.instanceId());
        if (deployment.isEmpty()) {
            return false; // gone since the inventory saw it; the watch or the next refresh removes it
        }
        String image = deployment.get().image();
        String target = release.release().image();
        if (image == null || image.equals(target)) {
            return false;
        }
        StartRules.Decision decision = ctx.mayPatch(release, next.instanceId(), next.reef(), next.ring(), image);
        if (!decision.go()) {
            ctx.hold(release.version() + " in " + next.reef() + "/" + next.ring() + ": " + decision.reason());
            return false;
        }
        Upgrade planned = Upgrade.planned(
                next.instanceId(), next.reef(), release.version(), next.ring(), target, image, ctx.now, next.detail());
        Optional<Upgrade> stored =
                ctx.store.insertPlanned(planned, release.policy().inFlightLimitPerReef(), ctx.fence);
        if (stored.isEmpty()) {
            return false; // upgraded or upgrading already, or the reef is full
        }
        try {
            ctx.cluster.changeImage(next.reef(), deployment.get(), image, target);
        } catch (ClusterException e) {
            if (e.fault() == ClusterFault.REEF) {
                throw e; // the reef backs off; the planned upgrade is patched (after the rules again) later
            }
            Transitions.refused(ctx, stored.get(), e);
            return false;
        }
        PatchStep.recordStarted(ctx, stored.get());
        return true;
    }
}
