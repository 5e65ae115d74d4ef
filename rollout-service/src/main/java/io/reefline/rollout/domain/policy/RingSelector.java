package io.reefline.rollout.domain.policy;

import io.reefline.rollout.domain.fleet.PinnedRing;
import java.util.Set;

/** Which instances a ring holds. Explicit and pinned rings claim their instances before any random draw. */
public sealed interface RingSelector {

    /** Named instances, e.g. the vendor's own dog-food instance. */
    record Explicit(Set<String> instanceIds) implements RingSelector {
        public Explicit {
            instanceIds = Set.copyOf(instanceIds);
        }
    }

    /** Instances carrying this {@code reefline.io/ring} pin. */
    record Pinned(PinnedRing pin) implements RingSelector {}

    /** A random, rotating share of the active instances not claimed by another ring (see CanarySelection). */
    record Percentage(double percent) implements RingSelector {}

    /** Every instance no other ring claimed. */
    record Remainder() implements RingSelector {}
}
