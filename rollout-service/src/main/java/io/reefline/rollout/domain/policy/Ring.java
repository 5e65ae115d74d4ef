package io.reefline.rollout.domain.policy;

import java.time.Duration;

/**
 * One step of the rollout.
 *
 * @param soak how long the next ring waits after this one is complete (an expedited release skips it)
 * @param deadline how long after the ring opens its upgrades must be finished; an instance that cannot finish by then
 *     is carried to the next ring, or, in the last ring, reported as having no window before the deadline
 * @param windowsApply false lets the ring upgrade at once, outside maintenance windows (the staff ring)
 */
public record Ring(String name, RingSelector selector, Duration soak, Duration deadline, boolean windowsApply) {}
