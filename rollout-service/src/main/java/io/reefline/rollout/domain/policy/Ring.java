package io.reefline.rollout.domain.policy;

import io.reefline.rollout.domain.analysis.AnalysisSpec;
import java.time.Duration;

/**
 * One step of the rollout.
 *
 * @param soak how long the next ring waits after this one is complete (an expedited release skips it)
 * @param deadline how long after the ring opens its upgrades must be finished; an instance that cannot finish by then
 *     is carried to the next ring, or, in the last ring, reported as having no window before the deadline
 * @param windowsApply false lets the ring upgrade at once, outside maintenance windows (the staff ring)
 * @param optional a ring without members (none selected, or all carried to later rings) holds the release unless it
 *     is optional; an optional empty ring passes on at once, with a note saying so
 * @param analysis how the ring's canaries are judged against control while it runs; null: no analysis
 */
public record Ring(
        String name,
        RingSelector selector,
        Duration soak,
        Duration deadline,
        boolean windowsApply,
        boolean optional,
        AnalysisSpec analysis) {

    /** A ring without canary analysis. */
    public Ring(
            String name,
            RingSelector selector,
            Duration soak,
            Duration deadline,
            boolean windowsApply,
            boolean optional) {
        this(name, selector, soak, deadline, windowsApply, optional, null);
    }

    /** A ring that holds the release when it has no members. */
    public Ring(String name, RingSelector selector, Duration soak, Duration deadline, boolean windowsApply) {
        this(name, selector, soak, deadline, windowsApply, false);
    }
}
