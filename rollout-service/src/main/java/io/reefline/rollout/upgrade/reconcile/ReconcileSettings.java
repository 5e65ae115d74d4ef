package io.reefline.rollout.upgrade.reconcile;

import io.reefline.platform.backoff.Backoff;
import io.reefline.rollout.domain.upgrade.Soak;
import java.time.Duration;
import java.util.Optional;

/**
 * How the reconcile loop works.
 *
 * @param rolloutTimeout how long a patched Deployment may take to become available
 * @param soak the post-upgrade checks (time, passes needed, clean tail, failures that fail)
 * @param startTimeout a planned upgrade whose patch could not be sent for this long is cancelled
 * @param pilot a release's first upgrade runs alone until it succeeds
 * @param upgradeBackoff first wait after one upgrade's request was refused; doubles per refusal
 * @param upgradeBackoffMax longest such wait
 * @param giveUpAfter an upgrade whose requests keep being refused this long fails (or, restoring, is left unrestored)
 * @param reefBackoff first wait after a reef's API failed; doubles per failure
 * @param reefBackoffMax longest such wait
 * @param healthUrl template with {@code {instance}} and {@code {reef}} for instances without their own health URL
 * @param cordSeverity severity of the cord a failed upgrade pulls
 * @param consoleUrl the console's public address, linked from a cord
 */
public record ReconcileSettings(
        Duration rolloutTimeout,
        Soak soak,
        Duration startTimeout,
        boolean pilot,
        Duration upgradeBackoff,
        Duration upgradeBackoffMax,
        Duration giveUpAfter,
        Duration reefBackoff,
        Duration reefBackoffMax,
        Optional<String> healthUrl,
        String cordSeverity,
        Optional<String> consoleUrl) {

    /** How long one upgrade waits after its requests were refused. */
    public Backoff upgradeRetries() {
        return Backoff.doubling(upgradeBackoff, upgradeBackoffMax);
    }

    /** How long a reef waits after its API failed. */
    public Backoff reefRetries() {
        return Backoff.doubling(reefBackoff, reefBackoffMax);
    }
}
