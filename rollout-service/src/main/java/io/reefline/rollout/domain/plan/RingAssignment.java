package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.canary.CanarySelection.WindowFit;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
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
 *
 * <p>A percentage ring draws only instances that can finish inside its deadline (see {@link Timing}), so a canary ring
 * is not emptied by carrying its members on, which would hold the release.
 */
public record RingAssignment(Map<String, String> ringByInstance, List<CanarySelection> canaries) {

    public RingAssignment {
        ringByInstance = Collections.unmodifiableMap(new HashMap<>(ringByInstance));
        canaries = List.copyOf(canaries);
    }

    /**
     * When the release starts, to estimate when each ring opens: the release time plus, for each earlier ring that has
     * members, one upgrade and that ring's soak (no soak for an expedited release). The estimate is the earliest the
     * ring can open; a canary drawn for it has a slot between then and then plus the ring's deadline.
     */
    public record Timing(Instant releaseTime, boolean expedite, boolean ignoreWindows) {

        public static Timing of(Release release, Instant releaseTime) {
            return new Timing(releaseTime, release.expedite(), release.ignoreWindows());
        }
    }

    /**
     * Draws without looking at windows: every eligible instance counts as able to finish in time. For callers that do
     * not know when the release starts; registration and forecasts use {@link #assign(RingPolicy, Collection, long,
     * List, Timing)}.
     */
    public static RingAssignment assign(
            RingPolicy policy, Collection<Instance> fleet, long seed, List<Set<String>> recentCanaries) {
        return assign(policy, fleet, seed, recentCanaries, null);
    }

    /** @param timing when the release starts; null draws without looking at windows */
    public static RingAssignment assign(
            RingPolicy policy, Collection<Instance> fleet, long seed, List<Set<String>> recentCanaries, Timing timing) {
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
                        policy.canaryRotation(),
                        fit(policy, i, ringOf, timing));
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

    /** Ring {@code k}'s window fit: from its earliest opening to that plus its deadline. */
    private static WindowFit fit(RingPolicy policy, int k, Map<String, String> ringOf, Timing timing) {
        Ring ring = policy.rings().get(k);
        if (timing == null || timing.ignoreWindows() || !ring.windowsApply()) {
            return WindowFit.ANYWHERE;
        }
        Set<String> claimed = new HashSet<>(ringOf.values());
        Instant opens = timing.releaseTime();
        for (int j = 0; j < k; j++) {
            Ring before = policy.rings().get(j);
            // A remainder ring claims after the draws; assume it has members.
            if (claimed.contains(before.name()) || before.selector() instanceof RingSelector.Remainder) {
                opens = opens.plus(policy.expectedUpgrade()).plus(timing.expedite() ? Duration.ZERO : before.soak());
            }
        }
        return new WindowFit(opens, opens.plus(ring.deadline()), policy.expectedUpgrade());
    }

    public Optional<String> ringOf(String instanceId) {
        return Optional.ofNullable(ringByInstance.get(instanceId));
    }
}
