package io.reefline.rollout.domain.upgrade;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.ImageReference;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.policy.Ring;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last word before an image patch goes out, asked immediately before every patch: a new start, a retry, and the
 * resumption of a planned upgrade after a restart or a leader change alike. The planner decides what should start; these
 * rules make sure that nothing it decided earlier is sent once it no longer holds.
 */
public final class StartRules {

    private StartRules() {}

    /** Go, or not (with why). */
    public record Decision(boolean go, String reason) {
        static final Decision GO = new Decision(true, "all start rules hold");

        static Decision no(String reason) {
            return new Decision(false, reason);
        }
    }

    /**
     * Everything the rules look at.
     *
     * @param instance the instance as the inventory knows it now; null when it is no longer in the inventory
     * @param release the release the patch moves it to
     * @param ring the instance's ring in that release (its {@code windowsApply}); null when the ring is unknown
     * @param liveImage the image the Deployment runs now, read just before this question
     * @param expectedUpgrade how long an upgrade takes: the window must stay open that long
     */
    public record Question(
            Instance instance,
            Release release,
            Ring ring,
            String liveImage,
            GateState gate,
            List<Freeze> freezes,
            Instant now,
            Duration expectedUpgrade) {}

    /**
     * In order: the instance is known and of the release's channel; the move is forward (the live image's version is
     * older than the release's); the andon gate is open; no freeze covers the instance; and its maintenance window is
     * open with enough time left, unless the ring ignores windows or the release was expedited past them with a reason.
     */
    public static Decision mayPatch(Question q) {
        if (q.instance() == null) {
            return Decision.no("the instance is no longer in the inventory");
        }
        if (!q.release().channel().equals(q.instance().channel())) {
            return Decision.no("the instance is in channel '" + q.instance().channel() + "', the release in '"
                    + q.release().channel() + "'");
        }
        Optional<Version> live = q.liveImage() == null
                ? Optional.empty()
                : ImageReference.parse(q.liveImage()).tagVersion();
        if (live.isEmpty()) {
            return Decision.no("the running image " + q.liveImage() + " names no version, so forward cannot be told");
        }
        if (live.get().isAtLeast(q.release().version())) {
            return Decision.no("it runs " + live.get() + ", not older than "
                    + q.release().version() + ": an upgrade never moves an instance backwards");
        }
        if (!q.gate().open()) {
            return Decision.no("andon gate closed: " + q.gate().reason());
        }
        for (Freeze freeze : q.freezes()) {
            if (freeze.covers(q.instance(), q.now())) {
                return Decision.no("frozen by " + freeze.describe());
            }
        }
        if (windowsApply(q.ring(), q.release()) && !q.instance().window().canFinish(q.now(), q.expectedUpgrade())) {
            return Decision.no("outside its maintenance window " + q.instance().window() + " (or too little of it left"
                    + " for " + q.expectedUpgrade() + ")");
        }
        return Decision.GO;
    }

    /** Windows hold unless the ring ignores them or the release was expedited past them (with its reason). */
    public static boolean windowsApply(Ring ring, Release release) {
        return (ring == null || ring.windowsApply()) && !release.ignoreWindows();
    }
}
