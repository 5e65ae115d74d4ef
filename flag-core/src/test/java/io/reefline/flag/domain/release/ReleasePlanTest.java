package io.reefline.flag.domain.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleasePlanTest {

    private static ReleasePlan plan(int rampFrom, int rampSteps) {
        return new ReleasePlan(
                Set.of("staff-co"),
                true,
                Duration.ofHours(1),
                Set.of("early-1"),
                Duration.ofHours(2),
                rampFrom,
                rampSteps,
                Duration.ofHours(4),
                Set.of("t-excluded"));
    }

    @Test
    void shouldGoFromOffThroughStaffEarlyAdoptersAndTheRampToEveryone() {
        List<ReleasePlan.Phase> phases = plan(10, 4).phases();
        assertEquals(
                List.of("off", "staff", "early-adopters", "ramp-10%", "ramp-32%", "ramp-55%", "ramp-77%", "everyone"),
                phases.stream().map(ReleasePlan.Phase::name).toList());
        assertEquals(Set.of(), phases.get(0).tenants());
        assertEquals(Set.of("staff-co"), phases.get(1).tenants());
        assertEquals(Set.of("staff-co", "early-1"), phases.get(2).tenants());
        assertEquals(Duration.ofHours(1), phases.get(3).lasts());
        assertTrue(phases.get(7).last());
        assertEquals(100, phases.get(7).percent());
    }

    @Test
    void shouldNeverTakeTheFeatureAwayFromAnyoneWhoHadIt() {
        List<ReleasePlan.Phase> phases = plan(1, 100).phases();
        for (int i = 1; i < phases.size(); i++) {
            ReleasePlan.Phase before = phases.get(i - 1);
            ReleasePlan.Phase after = phases.get(i);
            assertTrue(after.tenants().containsAll(before.tenants()));
            assertTrue(after.percent() >= before.percent());
            assertTrue(after.staffRing() || !before.staffRing());
            assertEquals(i, after.index());
        }
    }

    @Test
    void shouldRefuseRampsOutsideTheirBounds() {
        assertThrows(IllegalArgumentException.class, () -> plan(0, 3));
        assertThrows(IllegalArgumentException.class, () -> plan(100, 3));
        assertThrows(IllegalArgumentException.class, () -> plan(10, 0));
    }
}
