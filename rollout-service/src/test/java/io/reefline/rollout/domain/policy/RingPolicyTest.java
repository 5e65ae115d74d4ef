package io.reefline.rollout.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.rollout.domain.fleet.PinnedRing;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RingPolicyTest {

    @Test
    void shouldDefaultToTheTalksRings() {
        RingPolicy policy = RingPolicy.defaults();
        assertEquals(List.of(), policy.validate());
        assertEquals(
                List.of("Staff", "Canary", "Stable", "Laggards"),
                policy.rings().stream().map(Ring::name).toList());
        Ring staff = policy.rings().get(0);
        assertEquals(new RingSelector.Pinned(PinnedRing.STAFF), staff.selector());
        assertFalse(staff.windowsApply(), "the staff dog-food instance is upgraded at once");
        Ring canary = policy.rings().get(1);
        assertEquals(new RingSelector.Percentage(5), canary.selector());
        assertEquals(Duration.ofDays(3), canary.deadline());
        assertEquals(Duration.ofDays(2), canary.soak(), "Stable follows two days later");
        assertEquals(new RingSelector.Remainder(), policy.rings().get(2).selector());
        assertEquals(
                new RingSelector.Pinned(PinnedRing.LAGGARD),
                policy.rings().get(3).selector());
        assertEquals(1, policy.indexOf("Canary"));
        assertEquals(-1, policy.indexOf("Nope"));
    }

    @Test
    void shouldListEveryViolationWithItsField() {
        Duration day = Duration.ofDays(1);
        RingPolicy policy = new RingPolicy(
                List.of(
                        new Ring("Canary", new RingSelector.Percentage(0), day, day, true),
                        new Ring("canary", new RingSelector.Percentage(101), day, day, true),
                        new Ring("", new RingSelector.Remainder(), Duration.ofHours(-1), Duration.ZERO, true),
                        new Ring("Rest", new RingSelector.Remainder(), day, Duration.ofMinutes(1), true),
                        new Ring("Pins", new RingSelector.Pinned(PinnedRing.NONE), day, day, true),
                        new Ring("Named", new RingSelector.Explicit(Set.of()), day, day, true),
                        new Ring("Laggards", new RingSelector.Pinned(PinnedRing.LAGGARD), day, day, true),
                        new Ring("Laggards2", new RingSelector.Pinned(PinnedRing.LAGGARD), day, day, true),
                        new Ring("Nothing", null, null, null, true)),
                0,
                Duration.ZERO,
                -1);
        List<String> fields = policy.validate().stream().map(Violation::field).toList();
        assertEquals(
                List.of(
                        "inFlightLimitPerReef",
                        "expectedUpgrade",
                        "canaryRotation",
                        "rings[0].selector.percent",
                        "rings[1].name",
                        "rings[1].selector.percent",
                        "rings[2].name",
                        "rings[2].soak",
                        "rings[2].deadline",
                        "rings[3].selector",
                        "rings[4].selector.pin",
                        "rings[5].selector.instanceIds",
                        "rings[7].selector.pin",
                        "rings[8].soak",
                        "rings[8].deadline",
                        "rings[8].selector"),
                fields);
        assertThrows(IllegalArgumentException.class, policy::requireValid);
    }

    @Test
    void shouldRequireAtLeastOneRingAndADeadlineLongEnoughForOneUpgrade() {
        assertEquals(
                List.of(new Violation("rings", "at least one ring is required")),
                new RingPolicy(List.of(), 1, Duration.ofMinutes(30), 0).validate());
        List<Violation> violations = new RingPolicy(
                        List.of(new Ring(
                                "All", new RingSelector.Remainder(), Duration.ZERO, Duration.ofMinutes(10), true)),
                        1,
                        Duration.ofMinutes(30),
                        0)
                .validate();
        assertEquals(1, violations.size());
        assertTrue(violations.get(0).message().contains("shorter than the expected upgrade"));
    }
}
