package io.reefline.rollout.domain.upgrade;

import java.time.Instant;
import java.util.UUID;

/**
 * One instance's upgrade to one release, as stored. A step reads it, {@link #copy() copies} it, changes the copy and
 * asks the store to replace the stored one with the copy only if the stored one is still {@code this} (same state and
 * version): a compare-and-set, so two actors never both move one upgrade.
 */
public final class Upgrade {

    /** Stored id; 0 until the store assigned one. */
    public long id;

    public String instanceId;
    public String reef;
    public String releaseVersion;
    public String ring;
    public String targetImage;
    public String previousImage;
    public UpgradeState state;
    /** Why it failed or was cancelled; while rolling out, what the Deployment last said. */
    public String reason;

    public Instant plannedAt;
    public Instant startedAt;
    public Instant availableAt;
    public Instant failedAt;
    public Instant finishedAt;
    public Instant lastCheckAt;

    /** Consecutive failed post-upgrade checks. */
    public int checkFailures;
    /** Passing checks that count towards the soak: at least {@code soak / N} apart (see {@link Soak}). */
    public int checksPassed;
    /** When the last counted passing check ran. */
    public Instant lastPassAt;
    /** The most recent check results, newest in bit 0 (1 = passed), {@link #checksRun} of them valid (at most 31). */
    public int recentChecks;

    public int checksRun;

    /** Cluster calls of this upgrade that were refused and will be retried; reset when a call goes through. */
    public int attempts;
    /** When the first of the current run of refusals happened; the upgrade gives up a bounded time after it. */
    public Instant firstErrorAt;
    /** Not before this instant is this upgrade's next cluster call made (its own backoff, not its reef's). */
    public Instant nextAttemptAt;

    public String lastError;

    /** The event that pulls the cord for this failure; the release holds until it is delivered. */
    public UUID cordEventId;

    /** The stored version; every stored change increments it. */
    public long version;

    public Upgrade copy() {
        Upgrade c = new Upgrade();
        c.id = id;
        c.instanceId = instanceId;
        c.reef = reef;
        c.releaseVersion = releaseVersion;
        c.ring = ring;
        c.targetImage = targetImage;
        c.previousImage = previousImage;
        c.state = state;
        c.reason = reason;
        c.plannedAt = plannedAt;
        c.startedAt = startedAt;
        c.availableAt = availableAt;
        c.failedAt = failedAt;
        c.finishedAt = finishedAt;
        c.lastCheckAt = lastCheckAt;
        c.checkFailures = checkFailures;
        c.checksPassed = checksPassed;
        c.lastPassAt = lastPassAt;
        c.recentChecks = recentChecks;
        c.checksRun = checksRun;
        c.attempts = attempts;
        c.firstErrorAt = firstErrorAt;
        c.nextAttemptAt = nextAttemptAt;
        c.lastError = lastError;
        c.cordEventId = cordEventId;
        c.version = version;
        return c;
    }

    /** A new upgrade, decided now: the patch has not been sent. */
    public static Upgrade planned(
            String instanceId,
            String reef,
            String releaseVersion,
            String ring,
            String targetImage,
            String previousImage,
            Instant now,
            String reason) {
        Upgrade u = new Upgrade();
        u.instanceId = instanceId;
        u.reef = reef;
        u.releaseVersion = releaseVersion;
        u.ring = ring;
        u.targetImage = targetImage;
        u.previousImage = previousImage;
        u.state = UpgradeState.PLANNED;
        u.plannedAt = now;
        u.reason = reason;
        return u;
    }

    /** Whether its own backoff lets this upgrade make a cluster call at {@code now}. */
    public boolean mayCallAt(Instant now) {
        return nextAttemptAt == null || !now.isBefore(nextAttemptAt);
    }

    @Override
    public String toString() {
        return "upgrade " + id + " of " + instanceId + " to " + releaseVersion + " (" + state + ", v" + version + ")";
    }
}
