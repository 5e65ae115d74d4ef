package io.reefline.rollout.domain.canary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CanarySelectionTest {

    private static final MaintenanceWindow WINDOW = MaintenanceWindow.parse("Mon-Fri 09:00-12:00");
    private static final Version VERSION = Version.parse("2026.11.2");

    /** The talk's fleet: 8 reefs in 3 regions; sizes from 100 to 300 so proportions are not trivially equal. */
    private static List<Instance> fleet(int[] sizes) {
        String[] regions = {"us", "us", "us", "eu", "eu", "eu", "au", "au"};
        List<Instance> fleet = new ArrayList<>();
        for (int r = 0; r < sizes.length; r++) {
            for (int i = 0; i < sizes[r]; i++) {
                String reef = "reef-" + regions[r] + "-" + r;
                fleet.add(new Instance(
                        reef + "-i" + i,
                        reef,
                        regions[r],
                        "t-" + r + "-" + i,
                        WINDOW,
                        true,
                        PinnedRing.NONE,
                        false,
                        VERSION));
            }
        }
        return fleet;
    }

    @Test
    void shouldSelectFivePercentOfSixteenHundredStratifiedByReef() {
        int[] sizes = {100, 150, 175, 200, 200, 225, 250, 300};
        List<Instance> fleet = fleet(sizes);
        assertEquals(1600, fleet.size());

        CanarySelection selection = CanarySelection.draw("Canary", 5, fleet, 42, List.of(), 3);

        assertEquals(1600, selection.eligible());
        assertEquals(80, selection.target());
        assertEquals(80, selection.chosen().size());
        assertEquals(80, selection.instanceIds().size(), "no instance twice");
        Map<String, Integer> perReef = new HashMap<>();
        selection.chosen().forEach(c -> perReef.merge(c.reef(), 1, Integer::sum));
        for (int r = 0; r < sizes.length; r++) {
            String reef = fleet.stream()
                    .filter(i -> i.id().endsWith("-i0"))
                    .toList()
                    .get(r)
                    .reef();
            double exact = 80.0 * sizes[r] / 1600;
            int got = perReef.getOrDefault(reef, 0);
            assertTrue(Math.abs(got - exact) <= 1, reef + " got " + got + ", exact share " + exact);
            assertEquals(got, selection.quotaByReef().get(reef));
        }
        assertEquals(8, perReef.size(), "every reef represented");
    }

    @Test
    void shouldReplayTheSameSelectionFromTheSameSeedWhateverTheInputOrder() {
        List<Instance> fleet = fleet(new int[] {200, 200, 200, 200, 200, 200, 200, 200});
        CanarySelection first = CanarySelection.draw("Canary", 5, fleet, 42, List.of(), 3);
        List<Instance> reordered = new ArrayList<>(fleet);
        Collections.reverse(reordered);
        CanarySelection again = CanarySelection.draw("Canary", 5, reordered, 42, List.of(), 3);
        assertEquals(first, again);
        assertNotEquals(
                first.instanceIds(),
                CanarySelection.draw("Canary", 5, fleet, 43, List.of(), 3).instanceIds());
    }

    @Test
    void shouldNotChooseAnInstanceAgainWithinKConsecutiveReleases() {
        List<Instance> fleet = fleet(new int[] {200, 200, 200, 200, 200, 200, 200, 200});
        int k = 3;
        LinkedList<Set<String>> recent = new LinkedList<>();
        List<Set<String>> all = new ArrayList<>();
        for (int release = 0; release < 12; release++) {
            CanarySelection selection = CanarySelection.draw("Canary", 5, fleet, 1000 + release, recent, k);
            assertEquals(80, selection.chosen().size());
            assertFalse(selection.rotationRelaxed());
            for (Set<String> previous : recent) {
                Set<String> overlap = new HashSet<>(previous);
                overlap.retainAll(selection.instanceIds());
                assertEquals(Set.of(), overlap, "release " + release);
            }
            all.add(selection.instanceIds());
            recent.addFirst(selection.instanceIds());
            if (recent.size() > k) {
                recent.removeLast();
            }
        }
        assertEquals(12, all.size());
    }

    @Test
    void shouldExplainEveryChoiceAndExclusion() {
        List<Instance> fleet = new ArrayList<>(fleet(new int[] {40}));
        fleet.add(new Instance("staff", "reef-us-0", "us", "vendor", WINDOW, true, PinnedRing.STAFF, false, VERSION));
        fleet.add(new Instance("quiet", "reef-us-0", "us", "t-q", WINDOW, false, PinnedRing.NONE, false, VERSION));
        fleet.add(new Instance("out", "reef-us-0", "us", "t-o", WINDOW, true, PinnedRing.NONE, true, VERSION));
        Set<String> lastRelease = Set.of("reef-us-0-i1", "reef-us-0-i2");

        CanarySelection selection = CanarySelection.draw("Canary", 5, fleet, 42, List.of(lastRelease), 3);

        assertEquals(40, selection.eligible());
        assertEquals(2, selection.target());
        assertEquals(
                "reef reef-us-0 (region us) quota 2 of 40 eligible active; drawn with seed 42 at position 1;"
                        + " not a canary in the last 3 releases",
                selection.chosen().get(0).reason());
        assertTrue(selection.chosen().get(1).reason().contains("at position 2"));
        Map<String, String> excluded = new HashMap<>();
        selection.excluded().forEach(e -> excluded.put(e.instanceId(), e.reason()));
        assertEquals("pinned to STAFF", excluded.get("staff"));
        assertEquals("inactive; canaries are drawn among active customers", excluded.get("quiet"));
        assertEquals("opted out of automatic upgrades", excluded.get("out"));
        assertEquals("canary 1 release(s) ago; rotation keeps it out for 3 releases", excluded.get("reef-us-0-i1"));
        assertFalse(selection.instanceIds().contains("reef-us-0-i1"));
    }

    @Test
    void shouldFallBackToTheLeastRecentlyUsedCanariesWhenTooFewAreFresh() {
        List<Instance> fleet = fleet(new int[] {10});
        List<String> ids = fleet.stream().map(Instance::id).toList();
        // 10 instances, 50%: 5 needed. Last release used 0-3, two releases ago used 4-7: only 8 and 9 are fresh.
        List<Set<String>> recent = List.of(Set.copyOf(ids.subList(0, 4)), Set.copyOf(ids.subList(4, 8)));

        CanarySelection selection = CanarySelection.draw("Canary", 50, fleet, 7, recent, 3);

        assertTrue(selection.rotationRelaxed());
        assertEquals(5, selection.chosen().size());
        Set<String> chosen = selection.instanceIds();
        assertTrue(chosen.containsAll(ids.subList(8, 10)), "both fresh ones first");
        Set<String> reused = new HashSet<>(chosen);
        reused.removeAll(ids.subList(8, 10));
        assertEquals(3, reused.size());
        assertTrue(Set.copyOf(ids.subList(4, 8)).containsAll(reused), "then the ones used two releases ago");
        assertTrue(selection.chosen().get(2).reason().contains("rotation relaxed"));
    }

    @Test
    void shouldRoundUpAndHandleAnEmptyPool() {
        assertEquals(
                1,
                CanarySelection.draw("Canary", 5, fleet(new int[] {3}), 1, List.of(), 3)
                        .target());
        CanarySelection none = CanarySelection.draw("Canary", 5, List.of(), 1, List.of(), 3);
        assertEquals(0, none.target());
        assertEquals(List.of(), none.chosen());
    }

    /** Every other instance of each reef can only upgrade on Saturdays. */
    private static List<Instance> halfOnSaturdays(int[] sizes) {
        MaintenanceWindow saturday = MaintenanceWindow.parse("Sat 09:00-12:00");
        List<Instance> fleet = new ArrayList<>();
        for (Instance i : fleet(sizes)) {
            boolean late = Integer.parseInt(i.id().substring(i.id().lastIndexOf("-i") + 2)) % 2 == 1;
            fleet.add(new Instance(
                    i.id(),
                    i.reef(),
                    i.region(),
                    i.tenant(),
                    late ? saturday : WINDOW,
                    true,
                    PinnedRing.NONE,
                    false,
                    VERSION));
        }
        return fleet;
    }

    /** The canary ring opens Monday 2026-03-02 09:00 UTC with a one-day deadline: only the weekday windows fit. */
    private static final CanarySelection.WindowFit MONDAY = new CanarySelection.WindowFit(
            Instant.parse("2026-03-02T09:00:00Z"), Instant.parse("2026-03-03T09:00:00Z"), Duration.ofMinutes(30));

    @Test
    void shouldDrawOnlyInstancesThatCanFinishInsideTheDeadlineAndStillFillTheTarget() {
        int[] sizes = {100, 150, 175, 200, 200, 225, 250, 300};
        List<Instance> fleet = halfOnSaturdays(sizes);

        CanarySelection selection = CanarySelection.draw("Canary", 5, fleet, 42, List.of(), 3, MONDAY);

        assertEquals(1600, selection.eligible(), "the target counts every eligible active instance");
        assertEquals(80, selection.target());
        assertEquals(801, selection.fitting(), "the even-numbered instances of each reef");
        assertEquals(80, selection.chosen().size(), "the full 5% of the eligible fleet, from the half that fits");
        assertEquals(0, selection.shortfall());
        Map<String, Instance> byId = new HashMap<>();
        fleet.forEach(i -> byId.put(i.id(), i));
        for (CanarySelection.Choice choice : selection.chosen()) {
            assertEquals(
                    WINDOW, byId.get(choice.instanceId()).window(), choice.instanceId() + " cannot finish in time");
            assertTrue(choice.reason().contains("that fit the deadline"), choice.reason());
        }
        Map<String, Integer> perReef = new HashMap<>();
        selection.chosen().forEach(c -> perReef.merge(c.reef(), 1, Integer::sum));
        assertEquals(8, perReef.size(), "still stratified: every reef represented");
        List<CanarySelection.Exclusion> late = selection.excluded().stream()
                .filter(e -> e.reason().contains("could not finish inside ring Canary's deadline"))
                .toList();
        assertEquals(799, late.size());
        assertTrue(late.get(0).reason().startsWith("window Sat 09:00-12:00 UTC has no PT30M slot between"));
        assertEquals(
                selection.instanceIds(),
                CanarySelection.draw("Canary", 5, fleet, 42, List.of(), 3, MONDAY)
                        .instanceIds(),
                "the same seed draws the same canaries");
    }

    @Test
    void shouldDrawEveryFittingInstanceWhenFewerFitThanTheTarget() {
        List<Instance> fleet = new ArrayList<>();
        for (Instance i : halfOnSaturdays(new int[] {40})) {
            boolean fits = i.id().endsWith("-i0") || i.id().endsWith("-i2");
            fleet.add(
                    fits
                            ? i
                            : new Instance(
                                    i.id(),
                                    i.reef(),
                                    i.region(),
                                    i.tenant(),
                                    MaintenanceWindow.parse("Sat 09:00-12:00"),
                                    true,
                                    PinnedRing.NONE,
                                    false,
                                    VERSION));
        }

        CanarySelection selection = CanarySelection.draw("Canary", 10, fleet, 7, List.of(), 3, MONDAY);

        assertEquals(4, selection.target());
        assertEquals(2, selection.fitting());
        assertEquals(Set.of("reef-us-0-i0", "reef-us-0-i2"), selection.instanceIds());
        assertEquals(2, selection.shortfall());
    }
}
