package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.Cluster.LiveDeployment;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * FAILED: put the previous image back, to restore service (the fix itself is a newer release). A restore that keeps
 * being refused gives up after the give-up time: the upgrade ends UNRESTORED, its reef's slot is freed, and the cord it
 * pulled stays the operator's signal.
 */
final class RestoreStep {

    private static final Logger LOG = Logger.getLogger(RestoreStep.class.getName());

    private RestoreStep() {}

    static void apply(TickContext ctx, Upgrade upgrade) {
        restore(ctx, upgrade, ctx.cluster.find(upgrade.reef, upgrade.instanceId));
    }

    static void restore(TickContext ctx, Upgrade upgrade, Optional<LiveDeployment> deployment) {
        if (deployment.isPresent()) {
            String image = deployment.get().image();
            if (upgrade.targetImage.equals(image)) {
                ctx.cluster.changeImage(upgrade.reef, deployment.get(), upgrade.targetImage, upgrade.previousImage);
            } else if (!upgrade.previousImage.equals(image)) {
                LOG.warning("Not restoring " + upgrade.instanceId + ": its image is now " + image
                        + ", set by someone else");
            }
        }
        ctx.transition(
                        upgrade,
                        u -> {
                            u.state = UpgradeState.RESTORED;
                            u.finishedAt = ctx.now;
                            TickContext.callWentThrough(u);
                        },
                        ctx.events::restored)
                .ifPresent(u -> {
                    if (deployment.isPresent()) {
                        ctx.imageChanged(u.instanceId, u.previousImage);
                    }
                    ctx.restored.incrementAndGet();
                });
    }

    /** Gives the restore up: the instance keeps the image it has, and a person takes it from the cord. */
    static void giveUp(TickContext ctx, Upgrade upgrade, String error) {
        ctx.transition(
                upgrade,
                u -> {
                    u.state = UpgradeState.UNRESTORED;
                    u.finishedAt = ctx.now;
                    u.reason = u.reason + "; the previous image could not be restored within "
                            + ctx.settings.giveUpAfter() + ": " + error;
                },
                List.of());
    }
}
