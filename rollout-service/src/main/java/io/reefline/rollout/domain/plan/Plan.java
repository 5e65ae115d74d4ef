package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.fleet.Release;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The planner's answer for every instance of the fleet, in fleet order, and per ring. */
public record Plan(
        Instant now, Release release, Instant releaseTime, List<InstancePlan> instances, List<RingProgress> rings) {

    public Plan {
        instances = List.copyOf(instances);
        rings = List.copyOf(rings);
    }

    /** The upgrades that may start at {@link #now()}. */
    public List<InstancePlan> startableNow() {
        return instances.stream().filter(p -> p.startsAt(now)).toList();
    }

    public Optional<InstancePlan> instance(String instanceId) {
        return instances.stream().filter(p -> p.instanceId().equals(instanceId)).findFirst();
    }
}
