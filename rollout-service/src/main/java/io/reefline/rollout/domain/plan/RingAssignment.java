package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which ring each instance belongs to for one release. Computed once when a release is registered and kept, so the
 * random canaries stay the same on every scheduler tick.
 *
 * <p>Claim order: explicit lists first, then pins, then percentage rings (each drawing from what is left, with seed
 * {@code seed + ring index}), then the remainder. Opted-out instances belong to no ring; a pinned instance whose pin
 * has no ring in the policy belongs to none either, so a pin is never silently ignored.
 */
public record RingAssignment(Map<String, String> ringByInstance, List<CanarySelection> canaries) {

    public RingAssignment {
        ringByInstance = Collections.unmodifiableMap(new HashMap<>(ringByInstance));
        canaries = List.copyOf(canaries);
    }

    public static RingAssignment assign(
            RingPolicy policy, Collection<Instance> fleet, long seed, List<Set<String>> recentCanaries) {
        policy.requireValid();
        Map<String, String> ringOf = new HashMap<>();
        for (Ring ring : policy.rings()) {
            if (ring.selector() instanceof RingSelector.Explicit explicit) {
                for (Instance instance : fleet) {
                    if (!instance.optedOut() && explicit.instanceIds().contains(instance.id())) {
                        ringOf.putIfAbsent(instance.id(), ring.name());
                    }
                }
            }
        }
        for (Ring ring : policy.rings()) {
            if (ring.selector() instanceof RingSelector.Pinned pinned) {
                for (Instance instance : fleet) {
                    if (!instance.optedOut() && instance.pinnedRing() == pinned.pin()) {
                        ringOf.putIfAbsent(instance.id(), ring.name());
                    }
                }
            }
        }
        List<CanarySelection> canaries = new ArrayList<>();
        for (int i = 0; i < policy.rings().size(); i++) {
            Ring ring = policy.rings().get(i);
            if (ring.selector() instanceof RingSelector.Percentage percentage) {
                List<Instance> unclaimed = new ArrayList<>();
                for (Instance instance : fleet) {
                    if (!ringOf.containsKey(instance.id())) {
                        unclaimed.add(instance);
                    }
                }
                CanarySelection selection = CanarySelection.draw(
                        ring.name(),
                        percentage.percent(),
                        unclaimed,
                        seed + i,
                        recentCanaries,
                        policy.canaryRotation());
                selection.chosen().forEach(c -> ringOf.put(c.instanceId(), ring.name()));
                canaries.add(selection);
            }
        }
        for (Ring ring : policy.rings()) {
            if (ring.selector() instanceof RingSelector.Remainder) {
                for (Instance instance : fleet) {
                    if (!instance.optedOut() && !instance.isPinned()) {
                        ringOf.putIfAbsent(instance.id(), ring.name());
                    }
                }
            }
        }
        return new RingAssignment(ringOf, canaries);
    }

    public Optional<String> ringOf(String instanceId) {
        return Optional.ofNullable(ringByInstance.get(instanceId));
    }
}
