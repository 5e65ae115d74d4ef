package io.reefline.rollout.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Policy validation covers every storage limit, so a valid policy is never refused by the database later. */
class RingPolicyLimitsTest {

    private static final Duration DAY = Duration.ofDays(1);

    private static RingPolicy policy(List<Ring> rings) {
        return new RingPolicy(rings, 5, Duration.ofMinutes(30), 3);
    }

    private static Ring remainder(String name) {
        return new Ring(name, new RingSelector.Remainder(), DAY, DAY, true);
    }

    private static Ring explicit(String name, Set<String> ids) {
        return new Ring(name, new RingSelector.Explicit(ids), DAY, DAY, true);
    }

    @Test
    void shouldAcceptRingNamesUpToFortyCharacters() {
        assertEquals(List.of(), policy(List.of(remainder("r".repeat(40)))).validate());
    }

    @Test
    void shouldRefuseRingNamesLongerThanTheUpgradeRecordHolds() {
        List<Violation> violations = policy(List.of(remainder("r".repeat(45)))).validate();
        assertEquals(List.of(new Violation("rings[0].name", "at most 40 characters, not 45")), violations);
        assertThrows(
                IllegalArgumentException.class,
                () -> policy(List.of(remainder("r".repeat(45)))).requireValid());
    }

    @Test
    void shouldCapTheNumberOfRings() {
        List<Ring> twenty = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            twenty.add(explicit("Ring " + i, Set.of("i-" + i)));
        }
        twenty.add(remainder("Rest"));
        assertEquals(List.of(), policy(twenty).validate());

        List<Ring> twentyOne = new ArrayList<>(twenty);
        twentyOne.add(0, explicit("One more", Set.of("i-x")));
        assertEquals(
                List.of(new Violation("rings", "at most 20 rings, not 21")),
                policy(twentyOne).validate());
    }

    @Test
    void shouldRefuseExplicitInstanceIdsNoInstanceCanHave() {
        assertEquals(
                List.of(),
                policy(List.of(explicit("Named", Set.of("i".repeat(253))))).validate());
        for (String id : List.of("i".repeat(254), " ")) {
            List<Violation> violations =
                    policy(List.of(explicit("Named", Set.of("i-1", id)))).validate();
            assertEquals(1, violations.size(), violations::toString);
            assertEquals("rings[0].selector.instanceIds", violations.get(0).field());
        }
    }
}
