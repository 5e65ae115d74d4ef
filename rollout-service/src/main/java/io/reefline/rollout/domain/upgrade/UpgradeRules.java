package io.reefline.rollout.domain.upgrade;

import java.time.Duration;
import java.time.Instant;

/** The decisions of an upgrade in flight, from what the cluster and the checks say. */
public final class UpgradeRules {

    private UpgradeRules() {}

    /** What to do with a started upgrade. */
    public sealed interface Verdict {
        /** Still rolling out; {@code why} is shown to operators. */
        record Wait(String why) implements Verdict {}

        /** Available on the new image: start the post-upgrade checks. */
        record Available() implements Verdict {}

        /** Give up and restore the previous image. */
        record Fail(String reason) implements Verdict {}

        /** Someone else changed the image: leave the Deployment alone, the upgrade failed without a restore. */
        record Overtaken(String reason) implements Verdict {}
    }

    /**
     * A started rollout is done when the controller has seen the new generation and every replica is updated and
     * available on the target image; it fails on a failure condition or when {@code timeout} passes first.
     */
    public static Verdict rollout(
            RolloutObservation seen, String targetImage, Instant startedAt, Instant now, Duration timeout) {
        if (!targetImage.equals(seen.image())) {
            return new Verdict.Overtaken(
                    "the Deployment's image was changed to " + seen.image() + " while upgrading to " + targetImage);
        }
        boolean observed = seen.observedGeneration() >= seen.generation();
        if (observed
                && seen.updatedReplicas() >= seen.replicas()
                && seen.availableReplicas() >= seen.replicas()
                && seen.available()) {
            return new Verdict.Available();
        }
        if (observed && seen.failure() != null) {
            return new Verdict.Fail("rollout failed: " + seen.failure());
        }
        if (!now.isBefore(startedAt.plus(timeout))) {
            return new Verdict.Fail(
                    "not available on " + targetImage + " within " + timeout + " (" + describe(seen) + ")");
        }
        return new Verdict.Wait(describe(seen));
    }

    private static String describe(RolloutObservation seen) {
        return "generation " + seen.observedGeneration() + "/" + seen.generation() + ", updated "
                + seen.updatedReplicas() + "/" + seen.replicas() + ", available " + seen.availableReplicas() + "/"
                + seen.replicas();
    }
}
