package io.reefline.rollout.domain.upgrade;

import java.time.Duration;
import java.time.Instant;

/**
 * A real soak: an upgrade succeeds only after {@code passesNeeded} passing checks spread over the soak (each counted
 * pass at least {@code soak / passesNeeded} after the previous counted one), once the soak since the Deployment became
 * available has passed, with none of the last {@code cleanTail} checks failing. {@code failuresToFail} failed checks in
 * a row fail it. So one lucky check after a reef backoff or a leader change is never enough.
 *
 * @param passesNeeded N: counted passing checks, at least 1
 * @param cleanTail M: the most recent checks that must all have passed (at most 31)
 * @param failuresToFail consecutive failed checks that fail the upgrade
 */
public record Soak(Duration soak, int passesNeeded, int cleanTail, int failuresToFail) {

    public Soak {
        if (soak == null || soak.isNegative()) {
            throw new IllegalArgumentException("soak must not be negative");
        }
        if (passesNeeded < 1 || cleanTail < 1 || cleanTail > 31 || failuresToFail < 1) {
            throw new IllegalArgumentException(
                    "passesNeeded and failuresToFail must be at least 1, cleanTail between 1 and 31");
        }
    }

    public enum Verdict {
        KEEP_CHECKING,
        SUCCEED,
        FAIL
    }

    /** The same soak needing {@code passes} counted passing checks. */
    public Soak needing(int passes) {
        return new Soak(soak, passes, cleanTail, failuresToFail);
    }

    /** The least time between two counted passing checks. */
    public Duration spacing() {
        return soak.dividedBy(passesNeeded);
    }

    /**
     * Records one check's result on {@code upgrade} (counters, history, times) and says what follows. The caller stores
     * the changed upgrade.
     */
    public Verdict record(Upgrade upgrade, boolean passed, Instant now) {
        upgrade.lastCheckAt = now;
        upgrade.recentChecks = (upgrade.recentChecks << 1) | (passed ? 1 : 0);
        upgrade.checksRun = Math.min(upgrade.checksRun + 1, 31);
        if (!passed) {
            upgrade.checkFailures++;
            return upgrade.checkFailures >= failuresToFail ? Verdict.FAIL : Verdict.KEEP_CHECKING;
        }
        upgrade.checkFailures = 0;
        if (upgrade.lastPassAt == null || !now.isBefore(upgrade.lastPassAt.plus(spacing()))) {
            upgrade.checksPassed++;
            upgrade.lastPassAt = now;
        }
        return done(upgrade, now) ? Verdict.SUCCEED : Verdict.KEEP_CHECKING;
    }

    /** Whether the soak is complete: time served, enough spread passes, a clean tail. */
    public boolean done(Upgrade upgrade, Instant now) {
        return upgrade.availableAt != null
                && !now.isBefore(upgrade.availableAt.plus(soak))
                && upgrade.checksPassed >= passesNeeded
                && cleanTail(upgrade);
    }

    private boolean cleanTail(Upgrade upgrade) {
        if (upgrade.checksRun < cleanTail) {
            return false;
        }
        int mask = (1 << cleanTail) - 1;
        return (upgrade.recentChecks & mask) == mask;
    }

    /** What is still missing, for the operator. */
    public String progress(Upgrade upgrade, Instant now) {
        return "checks passed " + Math.min(upgrade.checksPassed, passesNeeded) + "/" + passesNeeded + ", soak until "
                + (upgrade.availableAt == null ? "?" : upgrade.availableAt.plus(soak));
    }
}
