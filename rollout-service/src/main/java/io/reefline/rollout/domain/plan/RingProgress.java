package io.reefline.rollout.domain.plan;

import java.time.Instant;

/**
 * One cell row of the release board: a ring's progress for a release and the planner's ETA.
 *
 * @param opensAt when the ring opens; null when it cannot be known (the gate is closed earlier in the line)
 * @param completesAt when its last upgrade finishes (the ETA); null when unknown
 */
public record RingProgress(
        String ring,
        Instant opensAt,
        Instant completesAt,
        int total,
        int done,
        int inFlight,
        int scheduled,
        int notPlanned) {

    /** The talk's "5/12". */
    public String doneOfTotal() {
        return done + "/" + total;
    }
}
