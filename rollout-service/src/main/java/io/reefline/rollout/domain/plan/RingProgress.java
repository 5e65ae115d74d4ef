package io.reefline.rollout.domain.plan;

import java.time.Instant;

/**
 * One cell row of the release board: a ring's progress for a release and the planner's ETA.
 *
 * @param opensAt when the ring opens; null when it cannot be known (the gate is closed earlier in the line)
 * @param completesAt when its last upgrade finishes (the ETA); null when unknown
 * @param held true when this ring keeps the later rings from opening: {@link PlanReason#RING_EMPTY},
 *     {@link PlanReason#UPGRADE_FAILED} or {@link PlanReason#GATE_CLOSED}
 * @param reason why the ring holds, why it waits ({@link PlanReason#WAITING_FOR_RING} behind a held ring), or why an
 *     optional ring without members passed ({@link PlanReason#RING_EMPTY} with {@code held} false); null otherwise
 * @param detail the reason in words, or null
 */
public record RingProgress(
        String ring,
        Instant opensAt,
        Instant completesAt,
        int total,
        int done,
        int inFlight,
        int scheduled,
        int notPlanned,
        boolean held,
        PlanReason reason,
        String detail) {

    /** The talk's "5/12". */
    public String doneOfTotal() {
        return done + "/" + total;
    }
}
