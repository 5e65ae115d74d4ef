package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeRules;
import io.reefline.rollout.domain.upgrade.UpgradeRules.Verdict;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.Cluster.LiveDeployment;
import java.util.List;
import java.util.Optional;

/** STARTED: wait for the Deployment to be available on the new image, within the rollout timeout. */
final class RolloutStep {

    private RolloutStep() {}

    static void apply(TickContext ctx, Upgrade upgrade) {
        Optional<LiveDeployment> deployment = ctx.cluster.find(upgrade.reef, upgrade.instanceId);
        if (deployment.isEmpty()) {
            Transitions.cancel(ctx, upgrade, "the instance's Deployment was deleted during the upgrade");
            return;
        }
        Verdict verdict = UpgradeRules.rollout(
                deployment.get().rollout(),
                upgrade.targetImage,
                upgrade.startedAt,
                ctx.now,
                ctx.settings.rolloutTimeout());
        if (verdict instanceof Verdict.Available) {
            ctx.transition(
                            upgrade,
                            u -> {
                                u.state = UpgradeState.VERIFYING;
                                u.availableAt = ctx.now;
                                u.reason = "available on " + u.targetImage + "; checking for "
                                        + ctx.settings.soak().soak();
                            },
                            List.of())
                    .ifPresent(verifying -> SoakStep.check(ctx, verifying, deployment));
        } else if (verdict instanceof Verdict.Wait wait) {
            String reason = "rolling out: " + wait.why();
            if (!reason.equals(upgrade.reason)) {
                ctx.transition(upgrade, u -> u.reason = reason, List.of());
            }
        } else if (verdict instanceof Verdict.Fail fail) {
            Transitions.failAndRestore(ctx, upgrade, fail.reason(), deployment, u -> {});
        } else if (verdict instanceof Verdict.Overtaken overtaken) {
            Transitions.overtaken(ctx, upgrade, overtaken.reason());
        }
    }
}
