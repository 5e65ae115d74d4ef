package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeRules;
import io.reefline.rollout.domain.upgrade.UpgradeRules.Verdict;
import io.reefline.rollout.upgrade.reconcile.Cluster.LiveDeployment;
import java.util.List;
import java.util.Optional;

/**
 * VERIFYING: the Deployment stays available and the health check passes, spread over the whole soak (see {@link
 * Soak}): one passing check after a long gap is never enough.
 */
final class SoakStep {

    private SoakStep() {}

    static void apply(TickContext ctx, Upgrade upgrade) {
        check(ctx, upgrade, ctx.cluster.find(upgrade.reef, upgrade.instanceId));
    }

    static void check(TickContext ctx, Upgrade upgrade, Optional<LiveDeployment> deployment) {
        boolean passed;
        String detail;
        if (deployment.isEmpty()) {
            passed = false;
            detail = "the instance's Deployment is gone";
        } else {
            Verdict rollout = UpgradeRules.rollout(
                    deployment.get().rollout(),
                    upgrade.targetImage,
                    upgrade.startedAt,
                    ctx.now,
                    ctx.settings.rolloutTimeout().plus(ctx.settings.soak().soak()));
            Optional<String> url = healthUrl(ctx, upgrade, deployment.get());
            if (rollout instanceof Verdict.Overtaken overtaken) {
                Transitions.overtaken(ctx, upgrade, overtaken.reason());
                return;
            }
            if (!(rollout instanceof Verdict.Available)) {
                passed = false;
                detail = "no longer available on " + upgrade.targetImage;
            } else if (url.isPresent()) {
                HealthProbe.Result result = ctx.health.check(url.get(), upgrade.targetImage);
                passed = result.passed();
                detail = result.detail();
            } else {
                passed = true;
                detail = "available (no health URL configured)";
            }
        }
        Soak soak = ctx.soakOf(upgrade);
        Upgrade checked = upgrade.copy();
        Soak.Verdict verdict = soak.record(checked, passed, ctx.now);
        switch (verdict) {
            case SUCCEED ->
                Transitions.succeed(
                        ctx,
                        upgrade,
                        detail + " (" + soak.progress(checked, ctx.now) + ")",
                        u -> soak.record(u, passed, ctx.now));
            case FAIL ->
                Transitions.failAndRestore(
                        ctx,
                        upgrade,
                        "post-upgrade check failed " + checked.checkFailures + " time(s) in a row: " + detail,
                        deployment,
                        u -> soak.record(u, passed, ctx.now));
            case KEEP_CHECKING ->
                ctx.transition(
                        upgrade,
                        u -> {
                            soak.record(u, passed, ctx.now);
                            u.reason = "checking: " + detail + "; " + soak.progress(u, ctx.now);
                        },
                        List.of());
        }
    }

    private static Optional<String> healthUrl(TickContext ctx, Upgrade upgrade, LiveDeployment deployment) {
        return deployment
                .healthUrl()
                .or(() -> ctx.settings
                        .healthUrl()
                        .map(t -> t.replace("{instance}", upgrade.instanceId).replace("{reef}", upgrade.reef)));
    }
}
