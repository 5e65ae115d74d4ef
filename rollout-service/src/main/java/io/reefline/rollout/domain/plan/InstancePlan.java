package io.reefline.rollout.domain.plan;

import io.reefline.platform.version.Version;
import java.time.Instant;

/**
 * What the planner decided for one instance.
 *
 * @param ring the ring it is upgraded in (after any carry-over), or null when it is in none
 * @param start when the upgrade starts (or started); null when not planned or done before anyone recorded it
 * @param finish when it is expected to finish (or finished)
 * @param spills how many times the in-flight limit pushed the upgrade to a later window occurrence
 * @param spilledFrom the start it had before the first spill, or null
 */
public record InstancePlan(
        String instanceId,
        String reef,
        String ring,
        Version target,
        Status status,
        Instant start,
        Instant finish,
        PlanReason reason,
        String detail,
        int spills,
        Instant spilledFrom) {

    public enum Status {
        DONE,
        IN_FLIGHT,
        SCHEDULED,
        NOT_PLANNED
    }

    public boolean startsAt(Instant instant) {
        return status == Status.SCHEDULED && start.equals(instant);
    }
}
