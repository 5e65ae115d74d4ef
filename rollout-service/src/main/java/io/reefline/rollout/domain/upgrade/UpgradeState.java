package io.reefline.rollout.domain.upgrade;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one instance's upgrade to one release stands. Each state is stored before the side effect that follows it, so
 * after a crash the stored state says what may have happened and what to check in the cluster.
 */
public enum UpgradeState {
    /** Decided under an open gate, previous image read; the Deployment may or may not have been patched yet. */
    PLANNED,
    /** The Deployment was patched to the new image; waiting for it to become available. */
    STARTED,
    /** Available on the new image; post-upgrade checks run for the soak. */
    VERIFYING,
    /** Available and healthy for the whole soak. */
    SUCCEEDED,
    /** Timed out or failed its checks: a cord was pulled and the previous image is being restored. */
    FAILED,
    /** Failed, and back on the previous image. */
    RESTORED,
    /** Never patched (the gate closed meanwhile, the instance went away); the planner may plan it again. */
    CANCELLED,
    /**
     * Failed, and the previous image could not be put back within the give-up time (every restore patch was refused):
     * the cord is pulled, the reef's slot is freed, and a person has to look at the instance.
     */
    UNRESTORED;

    /** States that hold one of the reef's in-flight slots and still need the scheduler's attention. */
    public static final Set<UpgradeState> RUNNING = EnumSet.of(PLANNED, STARTED, VERIFYING, FAILED);

    public boolean running() {
        return RUNNING.contains(this);
    }

    /** An upgrade that touched the instance and failed: the instance is not tried again for this release. */
    public boolean failed() {
        return this == FAILED || this == RESTORED || this == UNRESTORED;
    }

    public boolean terminal() {
        return this == SUCCEEDED || this == RESTORED || this == CANCELLED || this == UNRESTORED;
    }

    /**
     * The state machine's edges. A running state may also be stored again unchanged (a check counted, an error noted);
     * a terminal state never changes.
     */
    public boolean mayBecome(UpgradeState next) {
        if (next == this) {
            return running();
        }
        return switch (this) {
            case PLANNED -> next == STARTED || next == CANCELLED || next == FAILED;
            case STARTED -> next == VERIFYING || next == FAILED || next == CANCELLED;
            case VERIFYING -> next == SUCCEEDED || next == FAILED || next == CANCELLED;
            case FAILED -> next == RESTORED || next == UNRESTORED;
            case SUCCEEDED, RESTORED, CANCELLED, UNRESTORED -> false;
        };
    }
}
