package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.ClusterFault;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/** The endings every step shares: cancel (never patched), fail (cord, then restore), succeed. */
final class Transitions {

    private static final Logger LOG = Logger.getLogger(Transitions.class.getName());

    private Transitions() {}

    static void cancel(TickContext ctx, Upgrade upgrade, String reason) {
        ctx.transition(
                        upgrade,
                        u -> {
                            u.state = UpgradeState.CANCELLED;
                            u.finishedAt = ctx.now;
                            u.reason = reason;
                        },
                        List.of())
                .ifPresent(u -> ctx.cancelled.incrementAndGet());
    }

    /**
     * A patched upgrade whose Deployment shows another image: someone else changed it. The upgrade ends cancelled (it
     * pulls no cord; the planner may plan the instance again) only when a second, fresh read says the same, so a stale
     * answer never ends an upgrade whose patch went through and skips its soak.
     */
    static void overtaken(TickContext ctx, Upgrade upgrade, String reason) {
        Optional<Cluster.LiveDeployment> again = ctx.cluster.find(upgrade.reef, upgrade.instanceId);
        if (again.isPresent() && upgrade.targetImage.equals(again.get().image())) {
            return; // the first answer was stale; the next tick looks again
        }
        cancel(ctx, upgrade, reason);
    }

    /**
     * Records the failure, pulls the cord and reports the failed deployment in one transaction ({@code also} is applied
     * to the stored failure too, e.g. the last check's counters). Returns the stored failure, or empty when someone
     * else moved the upgrade first. The restore is the caller's: at once ({@link #failAndRestore}) or on a later tick.
     */
    static Optional<Upgrade> fail(TickContext ctx, Upgrade upgrade, String reason, Consumer<Upgrade> also) {
        Optional<Upgrade> failed = ctx.transition(
                upgrade,
                u -> {
                    also.accept(u);
                    u.state = UpgradeState.FAILED;
                    u.failedAt = ctx.now;
                    u.reason = reason;
                    u.cordEventId = UpgradeEvents.cordId(u);
                    TickContext.callWentThrough(u);
                },
                ctx.events::failed);
        failed.ifPresent(u -> {
            ctx.failed.incrementAndGet();
            LOG.warning("Upgrade of " + u.instanceId + " to " + u.releaseVersion + " failed, pulling the cord and"
                    + " restoring " + u.previousImage + ": " + reason);
        });
        return failed;
    }

    /**
     * {@link #fail}, then the previous image back at once from {@code deployment}, the one just read. A refused restore
     * waits its own backoff; an unwell reef leaves it to the next tick's restore step.
     */
    static void failAndRestore(
            TickContext ctx,
            Upgrade upgrade,
            String reason,
            Optional<Cluster.LiveDeployment> deployment,
            Consumer<Upgrade> also) {
        Optional<Upgrade> failed = fail(ctx, upgrade, reason, also);
        if (failed.isEmpty()) {
            return;
        }
        try {
            RestoreStep.restore(ctx, failed.get(), deployment);
        } catch (ClusterException e) {
            if (e.fault() == ClusterFault.REEF) {
                throw e; // the reef backs off; the next tick's restore step tries again
            }
            refused(ctx, failed.get(), e);
        }
    }

    /**
     * A request of this upgrade was refused (a 4xx): it waits its own backoff while the reef goes on; once its requests
     * have been refused for the give-up time, a running upgrade fails (the cord is pulled; the next tick restores) and a
     * restore is given up.
     */
    static void refused(TickContext ctx, Upgrade upgrade, ClusterException e) {
        String error = "HTTP " + e.status() + ": " + e.getMessage();
        Upgrade counted = upgrade.copy();
        ctx.refused(counted, error);
        if (!ctx.givenUp(counted)) {
            ctx.transition(upgrade, u -> ctx.refused(u, error), List.of());
            return;
        }
        if (upgrade.state == UpgradeState.FAILED) {
            RestoreStep.giveUp(ctx, upgrade, error);
        } else {
            // The restore is the next tick's: this very request was just refused.
            fail(
                    ctx,
                    upgrade,
                    "its requests were refused for " + ctx.settings.giveUpAfter() + ", last: " + error,
                    u -> {});
        }
    }

    static void succeed(TickContext ctx, Upgrade upgrade, String detail, Consumer<Upgrade> also) {
        ctx.transition(
                        upgrade,
                        u -> {
                            also.accept(u);
                            u.state = UpgradeState.SUCCEEDED;
                            u.finishedAt = ctx.now;
                            u.reason = "succeeded: " + detail;
                        },
                        ctx.events::succeeded)
                .ifPresent(u -> {
                    ctx.imageChanged(u.instanceId, u.targetImage);
                    ctx.succeeded.incrementAndGet();
                });
    }
}
