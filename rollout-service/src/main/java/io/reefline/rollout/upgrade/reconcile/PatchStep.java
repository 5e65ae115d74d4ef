package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.StartRules;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.Cluster.LiveDeployment;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import java.util.List;
import java.util.Optional;

/**
 * PLANNED: send the patch. Also how a patch refused earlier is retried, and how a planned upgrade is resumed after a
 * restart or a leader change: whichever it is, the start rules (window, freeze, gate, channel, forward) are asked again
 * immediately before the patch, so nothing decided earlier goes out once it no longer holds.
 */
final class PatchStep {

    private PatchStep() {}

    static void apply(TickContext ctx, Upgrade upgrade) {
        Optional<LiveDeployment> deployment = ctx.cluster.find(upgrade.reef, upgrade.instanceId);
        if (deployment.isEmpty()) {
            Transitions.cancel(ctx, upgrade, "the instance's Deployment is gone");
            return;
        }
        String image = deployment.get().image();
        if (upgrade.targetImage.equals(image)) {
            // The patch went out before the service stopped (after the rules allowed it); only its record is missing.
            recordStarted(ctx, upgrade);
            return;
        }
        if (!upgrade.previousImage.equals(image)) {
            Transitions.cancel(
                    ctx, upgrade, "the Deployment's image changed to " + image + " before the upgrade started");
            return;
        }
        Optional<ActiveRelease> release = ctx.release(upgrade.releaseVersion);
        if (release.isEmpty()) {
            Transitions.cancel(
                    ctx, upgrade, "not started: a newer release of its channel superseded " + upgrade.releaseVersion);
            return;
        }
        if (!ctx.now.isBefore(upgrade.plannedAt.plus(ctx.settings.startTimeout()))) {
            Transitions.cancel(
                    ctx,
                    upgrade,
                    "could not be started within " + ctx.settings.startTimeout()
                            + (upgrade.lastError == null ? "" : ": " + upgrade.lastError));
            return;
        }
        if (!ctx.analysis(upgrade.releaseVersion).allows(release.get().policy().indexOf(upgrade.ring))) {
            Transitions.cancel(
                    ctx,
                    upgrade,
                    "not started: canary analysis of an earlier ring has not passed " + upgrade.releaseVersion);
            return;
        }
        StartRules.Decision decision =
                ctx.mayPatch(release.get(), upgrade.instanceId, upgrade.reef, upgrade.ring, image);
        if (!decision.go()) {
            Transitions.cancel(ctx, upgrade, "not started: " + decision.reason());
            return;
        }
        ctx.cluster.changeImage(upgrade.reef, deployment.get(), upgrade.previousImage, upgrade.targetImage);
        recordStarted(ctx, upgrade);
    }

    static void recordStarted(TickContext ctx, Upgrade upgrade) {
        ctx.transition(
                        upgrade,
                        u -> {
                            u.state = UpgradeState.STARTED;
                            u.startedAt = ctx.now;
                            u.reason = "patched to " + u.targetImage;
                            TickContext.callWentThrough(u);
                        },
                        List.of())
                .ifPresent(u -> ctx.started.incrementAndGet());
    }
}
