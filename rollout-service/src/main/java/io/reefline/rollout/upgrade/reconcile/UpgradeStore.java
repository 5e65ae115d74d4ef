package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.plan.InFlightUpgrade;
import io.reefline.rollout.domain.upgrade.Upgrade;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where upgrades are kept. Every write is fenced: it happens only while {@code fence} is still the current leadership
 * term, in the same transaction as the check, and otherwise throws {@link FencedOut}.
 */
public interface UpgradeStore {

    /** Every running upgrade of any release, oldest first. */
    List<Upgrade> running();

    /**
     * Stores a new PLANNED upgrade, unless the instance already has an upgrade to this release (not cancelled) or a
     * running one, or its reef already runs {@code inFlightLimit} upgrades. Returns the stored upgrade, or empty with
     * nothing written.
     */
    Optional<Upgrade> insertPlanned(Upgrade planned, int inFlightLimit, long fence);

    /**
     * Compare-and-set: replaces the stored upgrade with {@code after} only if it is still {@code before} (same state and
     * version) and the state machine allows the move; {@code events} are enqueued in the same transaction. Returns the
     * stored result (its version increased), or empty when someone else moved the upgrade first.
     */
    Optional<Upgrade> transition(Upgrade before, Upgrade after, List<OutgoingEvent> events, long fence);

    /** What the planner needs of a release's upgrades. */
    ReleaseRecords records(String releaseVersion);

    /** Whether a cord pulled for a failed upgrade of this release has not reached andon-service yet. */
    boolean cordPending(String releaseVersion);

    /** How many upgrades of this release succeeded, and the reef of each that runs now: for the pilot rule. */
    PilotCount pilot(String releaseVersion);

    /** {@code runningIn}: the reef of every running upgrade of the release, one entry per upgrade. */
    record PilotCount(long succeeded, List<String> runningIn) {}

    /**
     * @param inFlight every running upgrade of any release: each holds a slot of its reef
     * @param completedAt when instances finished upgrading to this release
     * @param failed instances whose upgrade to this release failed: not tried again for it
     */
    record ReleaseRecords(List<InFlightUpgrade> inFlight, Map<String, Instant> completedAt, Set<String> failed) {}

    /** This replica's leadership term has ended: another replica leads now; the tick stops at once. */
    final class FencedOut extends RuntimeException {
        public FencedOut(String message) {
            super(message);
        }
    }
}
