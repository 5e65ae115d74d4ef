package io.reefline.rollout.domain.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.InstancePlan.Status;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Hand-checkable plans. 2026-03-02 is a Monday. Unless a test says otherwise: the release ships Monday 08:00 UTC, an
 * upgrade takes 30 minutes, one upgrade at a time per reef, and the rings are Staff (pinned, ignores windows, 1 h soak)
 * -> Canary (instances c1, c2; 1 day soak; 3 day deadline) -> Stable (remainder; 7 day deadline) -> Laggards (pinned).
 * Staff and Laggards are optional here, so that small fleets without a staff instance reach the later rings; the
 * tests of the hold rule say which rings are not.
 */
class PlannerTest {

    private static final Version OLD = Version.parse("2026.11.2");
    private static final Version NEW = Version.parse("2026.11.3");
    private static final Instant SHIP = Instant.parse("2026-03-02T08:00:00Z");
    private static final Duration HALF_HOUR = Duration.ofMinutes(30);

    private final Planner planner = new Planner();

    private static RingPolicy policy(int inFlightLimit) {
        return policy(inFlightLimit, Duration.ofHours(1));
    }

    private static RingPolicy policy(int inFlightLimit, Duration staffSoak) {
        Duration day = Duration.ofDays(1);
        return new RingPolicy(
                List.of(
                        new Ring("Staff", new RingSelector.Pinned(PinnedRing.STAFF), staffSoak, day, false, true),
                        new Ring(
                                "Canary", new RingSelector.Explicit(Set.of("c1", "c2")), day, Duration.ofDays(3), true),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true),
                        new Ring(
                                "Laggards",
                                new RingSelector.Pinned(PinnedRing.LAGGARD),
                                Duration.ZERO,
                                Duration.ofDays(7),
                                true,
                                true)),
                inFlightLimit,
                HALF_HOUR,
                3);
    }

    private static Instance instance(String id, String reef, String window) {
        return instance(id, reef, window, PinnedRing.NONE);
    }

    private static Instance instance(String id, String reef, String window, PinnedRing pin) {
        return new Instance(id, reef, "eu", "tenant-" + id, MaintenanceWindow.parse(window), true, pin, false, OLD);
    }

    private static Release release() {
        return Release.of(NEW, "app:" + NEW, "stable", SHIP, List.of("abc123"));
    }

    private static PlanRequest.Builder request(List<Instance> fleet, RingPolicy policy, Release release) {
        return PlanRequest.builder(
                fleet,
                policy,
                release,
                RingAssignment.assign(
                        policy, fleet, 42, List.of(), RingAssignment.Timing.of(release, release.createdAt())));
    }

    private static Instant at(String utc) {
        return Instant.parse(utc);
    }

    @Test
    void shouldUpgradeTheStaffInstanceAtOnceWhateverItsWindow() {
        List<Instance> fleet = List.of(instance("staff", "reef-a", "Sat 01:00-02:00", PinnedRing.STAFF));

        PlanRequest request = request(fleet, policy(1), release()).at(SHIP);
        InstancePlan staff = planner.plan(request).instances().get(0);

        assertEquals(Status.SCHEDULED, staff.status());
        assertEquals(SHIP, staff.start());
        assertEquals(PlanReason.STARTS_NOW, staff.reason());
        assertEquals("Staff", staff.ring());
        assertEquals(List.of("staff"), ids(planner.startableNow(request)));
    }

    @Test
    void shouldUpgradeACanaryAtTheFirstNineOClockAfterItsRingOpens() {
        // Staff 08:00-08:30, soak 4 h: Canary opens 12:30 Monday, after that day's 09:00-12:00 window.
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-b", "Mon-Fri 09:00-12:00"));

        Plan plan = planner.plan(
                request(fleet, policy(1, Duration.ofHours(4)), release()).at(SHIP));

        assertEquals(at("2026-03-02T12:30:00Z"), plan.rings().get(1).opensAt());
        InstancePlan canary = plan.instances().get(1);
        assertEquals(at("2026-03-03T09:00:00Z"), canary.start());
        assertEquals(at("2026-03-03T09:30:00Z"), canary.finish());
        assertEquals(PlanReason.WAITING_FOR_RING, canary.reason(), "at ship time it waits for its ring first");
        assertTrue(canary.detail().contains("waiting for ring Canary to open at 2026-03-02T12:30:00Z"));
    }

    @Test
    void shouldNeverStartAnUpgradeInAWindowShorterThanIt() {
        // A canary, so that its ring is the first one with members.
        List<Instance> fleet = List.of(instance("c1", "reef-a", "Daily 09:00-09:20"));

        InstancePlan plan = planner.plan(request(fleet, policy(1), release()).at(SHIP))
                .instances()
                .get(0);

        assertEquals(Status.NOT_PLANNED, plan.status());
        assertEquals(PlanReason.NO_FITTING_WINDOW, plan.reason());
        assertEquals(
                "window Daily 09:00-09:20 UTC (PT20M) is shorter than the expected upgrade duration PT30M",
                plan.detail());
        assertNull(plan.start());
    }

    @Test
    void shouldUseWindowsAcrossMidnightAndAcrossADstChange() {
        // Release on Saturday 2026-03-28 12:00 UTC; no staff or canary, so Stable opens at once.
        Release release = Release.of(NEW, "app", "stable", at("2026-03-28T12:00:00Z"), List.of());
        RingPolicy policy = new RingPolicy(
                List.of(new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true)),
                5,
                Duration.ofMinutes(90),
                3);
        List<Instance> fleet = List.of(
                instance("night", "reef-a", "Daily 23:00-02:00"),
                // 01:30-03:00 London: on Sunday 29 March the clocks jump 01:00 -> 02:00, leaving one hour.
                instance("london", "reef-a", "Daily 01:30-03:00 Europe/London"));

        Plan plan = planner.plan(request(fleet, policy, release).at(release.createdAt()));

        assertEquals(at("2026-03-28T23:00:00Z"), plan.instances().get(0).start());
        assertEquals(at("2026-03-29T00:30:00Z"), plan.instances().get(0).finish(), "finishes after midnight");
        assertEquals(
                at("2026-03-30T00:30:00Z"),
                plan.instances().get(1).start(),
                "skips the one-hour Sunday; Monday 01:30 BST is 00:30 UTC");
    }

    /**
     * Ten instances, three reefs, one upgrade at a time per reef. By hand:
     *
     * <pre>
     * staff  reef-a  pinned staff, ignores windows       Mon 08:00 - 08:30  Staff complete 08:30, +1 h soak
     * c1     reef-a  Mon-Fri 09:00-12:00                 Mon 09:30 - 10:00  (Canary opens 09:30)
     * c2     reef-b  Daily 22:00-02:00                   Mon 22:00 - 22:30  Canary complete Mon 22:30, +1 day
     * st4    reef-b  Daily 22:00-02:00                   Tue 22:30 - 23:00  (Stable opens Tue 22:30, window open)
     * st1    reef-a  Mon-Fri 09:00-12:00                 Wed 09:00 - 09:30
     * st2    reef-a  Mon-Fri 09:00-12:00                 Wed 09:30 - 10:00  (waits for st1: in-flight limit)
     * st3    reef-a  Wed,Thu 09:00-09:45                 Thu 09:00 - 09:30  (Wed 09:00 taken by st1, 09:30 by st2
     *                                                                      (same first slot, id order); at 10:00
     *                                                                      the window is over: spills to Thursday)
     * st6    reef-c  Mon-Fri 09:00-12:00 New York (EST)  Wed 14:00 - 14:30  (inactive: still in Stable)
     * st5    reef-b  Sat,Sun 01:00-05:00 Sydney (AEDT)   Fri 14:00 - 14:30  (Sat 01:00 +11:00) Stable complete Fri 14:30
     * l1     reef-c  pinned laggard, Daily 09:00-12:00   Sat 09:00 - 09:30  (Laggards open Fri 14:30, window over)
     * o1     reef-c  opted out                           never
     * </pre>
     *
     * Last customer: Saturday 2026-03-07 09:30. Lead times of the 9 non-laggards, from Monday 08:00, sorted: 30m, 2h,
     * 14h30m, 1d15h, 2d1h30m, 2d2h, 2d6h30m, 3d1h30m, 4d6h30m; nearest rank p50 = 5th = 2d1h30m, p90 = 9th = 4d6h30m.
     */
    @Test
    void shouldForecastAWholeFleetAsComputedByHand() {
        List<Instance> fleet = new ArrayList<>(List.of(
                instance("staff", "reef-a", "Sat 01:00-02:00", PinnedRing.STAFF),
                instance("c1", "reef-a", "Mon-Fri 09:00-12:00"),
                instance("c2", "reef-b", "Daily 22:00-02:00"),
                instance("st1", "reef-a", "Mon-Fri 09:00-12:00"),
                instance("st2", "reef-a", "Mon-Fri 09:00-12:00"),
                instance("st3", "reef-a", "Wed,Thu 09:00-09:45"),
                instance("st4", "reef-b", "Daily 22:00-02:00"),
                instance("st5", "reef-b", "Sat,Sun 01:00-05:00 Australia/Sydney"),
                new Instance(
                        "st6",
                        "reef-c",
                        "us",
                        "t6",
                        MaintenanceWindow.parse("Mon-Fri 09:00-12:00 America/New_York"),
                        false,
                        PinnedRing.NONE,
                        false,
                        OLD),
                instance("l1", "reef-c", "Daily 09:00-12:00", PinnedRing.LAGGARD),
                new Instance(
                        "o1",
                        "reef-c",
                        "eu",
                        "t-o",
                        MaintenanceWindow.parse("Daily 09:00-12:00"),
                        true,
                        PinnedRing.NONE,
                        true,
                        OLD)));

        Forecast forecast = planner.forecast(fleet, policy(1), release(), SHIP, 42, List.of(), List.of());

        Map<String, String> starts = new TreeMap<>();
        forecast.instances().forEach(p -> starts.put(p.instanceId(), String.valueOf(p.start())));
        assertEquals(
                Map.ofEntries(
                        Map.entry("staff", "2026-03-02T08:00:00Z"),
                        Map.entry("c1", "2026-03-02T09:30:00Z"),
                        Map.entry("c2", "2026-03-02T22:00:00Z"),
                        Map.entry("st4", "2026-03-03T22:30:00Z"),
                        Map.entry("st1", "2026-03-04T09:00:00Z"),
                        Map.entry("st2", "2026-03-04T09:30:00Z"),
                        Map.entry("st3", "2026-03-05T09:00:00Z"),
                        Map.entry("st6", "2026-03-04T14:00:00Z"),
                        Map.entry("st5", "2026-03-06T14:00:00Z"),
                        Map.entry("l1", "2026-03-07T09:00:00Z"),
                        Map.entry("o1", "null")),
                starts);
        assertEquals(at("2026-03-07T09:30:00Z"), forecast.lastCustomer());
        assertEquals(
                new Forecast.LeadTimes(
                        9,
                        0,
                        Duration.ofDays(2).plusHours(1).plusMinutes(30),
                        Duration.ofDays(4).plusHours(6).plusMinutes(30),
                        Duration.ofDays(4).plusHours(6).plusMinutes(30)),
                forecast.leadTimes());
        assertEquals(
                List.of("2026-03-02T08:30:00Z", "2026-03-02T22:30:00Z", "2026-03-06T14:30:00Z", "2026-03-07T09:30:00Z"),
                forecast.rings().stream().map(r -> r.completesAt().toString()).toList());
        assertEquals(
                List.of("0/1", "0/2", "0/6", "0/1"),
                forecast.rings().stream().map(RingProgress::doneOfTotal).toList());
        assertEquals(Map.of(PlanReason.OPTED_OUT, 1), forecast.notPlannedByReason());
        InstancePlan st3 = forecast.instances().get(5);
        assertEquals(1, st3.spills());
        assertEquals(at("2026-03-04T09:00:00Z"), st3.spilledFrom());
        assertEquals(new TreeMap<>(Map.of(LocalDate.parse("2026-03-04"), 1)), forecast.spillsByDay());
        InstancePlan st2 = forecast.instances().get(4);
        assertEquals(PlanReason.WAITING_FOR_RING, st2.reason(), "at ship time, Stable is not open yet");
        assertEquals(
                "waiting for ring Stable to open at 2026-03-03T22:30:00Z; then window Mon-Fri 09:00-12:00 UTC next has"
                        + " room at 2026-03-04T09:00:00Z; then reef reef-a is at its in-flight limit of 1;"
                        + " starts at 2026-03-04T09:30:00Z (ring Stable)",
                st2.detail());
        assertEquals(
                Map.of(9, 4, 1, 1),
                forecast.windowStartsByReefAndHour().get("reef-a"),
                "four reef-a windows open at 09:00 UTC, staff's Saturday window at 01:00");
        assertEquals(Map.of(22, 2, 14, 1), forecast.windowStartsByReefAndHour().get("reef-b"));
    }

    @Test
    void shouldNeverExceedTheInFlightLimitAtAnyInstant() {
        Random random = new Random(5);
        String[] windows = {
            "Mon-Fri 09:00-12:00",
            "Daily 22:00-02:00",
            "Daily 09:00-10:00 Europe/London",
            "Sat,Sun 01:00-05:00",
            "Mon,Wed,Fri 10:00-11:30",
            "Daily 11:00-11:45"
        };
        List<Instance> fleet = new ArrayList<>();
        fleet.add(instance("staff", "reef-0", "Daily 09:00-12:00", PinnedRing.STAFF));
        for (int i = 0; i < 600; i++) {
            fleet.add(instance("i" + i, "reef-" + random.nextInt(3), windows[random.nextInt(windows.length)]));
        }
        RingPolicy base = RingPolicy.defaults();
        RingPolicy policy = new RingPolicy(base.rings(), 3, Duration.ofMinutes(40), 3);
        // Two upgrades already running in reef-1, started just now and 20 minutes ago.
        Instant now = SHIP;
        List<InFlightUpgrade> inFlight = List.of(
                new InFlightUpgrade("i0", fleet.get(1).reef(), now),
                new InFlightUpgrade("i1", fleet.get(2).reef(), now.minus(Duration.ofMinutes(20))));

        Plan plan = planner.plan(
                request(fleet, policy, release()).inFlight(inFlight).at(now));

        Map<String, List<InstancePlan>> byReef = new HashMap<>();
        plan.instances().stream()
                .filter(p -> p.status() == Status.SCHEDULED || p.status() == Status.IN_FLIGHT)
                .forEach(p ->
                        byReef.computeIfAbsent(p.reef(), r -> new ArrayList<>()).add(p));
        int scheduled = 0;
        int spilled = 0;
        for (List<InstancePlan> upgrades : byReef.values()) {
            // The number running only grows at a start, so checking every start checks every instant.
            for (InstancePlan p : upgrades) {
                long running = upgrades.stream()
                        .filter(o -> !o.start().isAfter(p.start()) && o.finish().isAfter(p.start()))
                        .count();
                assertTrue(running <= 3, p + " starts while " + running + " run");
            }
            scheduled += upgrades.size();
            spilled += (int) upgrades.stream().filter(u -> u.spills() > 0).count();
        }
        assertTrue(scheduled > 550, "most of the fleet is planned: " + scheduled);
        assertTrue(spilled > 0, "the limit is tight enough to push work to later windows");
    }

    @Test
    void shouldStartNothingWhileTheGateIsClosed() {
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-b", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(fleet, policy(5), release())
                .gate(GateState.closed("cord pulled: checkout 500s"))
                .at(SHIP));

        assertEquals(List.of(), plan.startableNow());
        assertEquals(PlanReason.GATE_CLOSED, plan.instances().get(0).reason());
        assertEquals(
                "andon gate closed: cord pulled: checkout 500s",
                plan.instances().get(0).detail());
        assertEquals(PlanReason.GATE_CLOSED, plan.instances().get(1).reason());
        assertNull(plan.rings().get(0).completesAt());
        assertNull(plan.rings().get(1).opensAt());
    }

    @Test
    void shouldHoldLaterRingsBehindAFailedUpgradeButLetItsOwnRingGoOn() {
        List<Instance> fleet = List.of(
                instance("staff-a", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("staff-b", "reef-b", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-b", "Daily 00:00-24:00"));

        Plan plan = planner.plan(
                request(fleet, policy(5), release()).failed(Set.of("staff-a")).at(SHIP));

        assertEquals(
                PlanReason.UPGRADE_FAILED,
                plan.instance("staff-a").orElseThrow().reason());
        assertEquals(Status.NOT_PLANNED, plan.instance("staff-a").orElseThrow().status());
        assertEquals(
                List.of("staff-b"),
                plan.startableNow().stream().map(InstancePlan::instanceId).toList(),
                "the rest of the failed upgrade's ring may go on");
        assertNull(plan.rings().get(0).completesAt(), "a ring with a failed upgrade never completes");
        assertNull(plan.rings().get(1).opensAt(), "so the next ring never opens");
        assertEquals(Status.NOT_PLANNED, plan.instance("c1").orElseThrow().status());
    }

    @Test
    void shouldStartNothingInAFreezesScopeWhileItCoversNow() {
        RingPolicy policy = new RingPolicy(
                List.of(new Ring("All", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true)),
                5,
                HALF_HOUR,
                3);
        List<Instance> fleet = List.of(
                instance("a1", "reef-a", "Daily 00:00-24:00"),
                instance("a2", "reef-a", "Daily 00:00-24:00"),
                instance("b1", "reef-b", "Daily 00:00-24:00"));
        Instant saturday = at("2026-03-07T10:00:00Z");
        Freeze weekends = new Freeze(
                "weekends",
                Freeze.Scope.REEF,
                "reef-a",
                new Freeze.Weekly(MaintenanceWindow.parse("Sat,Sun 00:00-24:00")),
                "no weekend changes in reef-a");
        Release release = Release.of(NEW, "app", "stable", saturday, List.of());

        Plan plan = planner.plan(
                request(fleet, policy, release).freezes(List.of(weekends)).at(saturday));

        assertEquals(List.of("b1"), ids(plan.startableNow()));
        InstancePlan a1 = plan.instances().get(0);
        assertEquals(PlanReason.FROZEN, a1.reason());
        assertEquals(at("2026-03-09T00:00:00Z"), a1.start(), "starts when the weekend freeze ends");
        assertTrue(
                a1.detail()
                        .startsWith("frozen by freeze 'weekends' (reef reef-a: no weekend changes in reef-a)"
                                + " until 2026-03-09T00:00:00Z"),
                a1.detail());

        Freeze global = new Freeze(
                "holiday", Freeze.Scope.GLOBAL, null, new Freeze.OneOff(saturday, saturday.plusSeconds(3600)), null);
        assertEquals(
                List.of(),
                planner.startableNow(
                        request(fleet, policy, release).freezes(List.of(global)).at(saturday)));
    }

    @Test
    void shouldHoldAReefSlotForAnUpgradeInFlight() {
        RingPolicy policy = new RingPolicy(
                List.of(new Ring("All", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true)),
                1,
                HALF_HOUR,
                3);
        List<Instance> fleet =
                List.of(instance("a1", "reef-a", "Daily 00:00-24:00"), instance("a2", "reef-a", "Daily 00:00-24:00"));
        Instant now = SHIP.plus(Duration.ofMinutes(10));
        PlanRequest request = request(fleet, policy, release())
                .inFlight(List.of(new InFlightUpgrade("a1", "reef-a", SHIP)))
                .at(now);

        Plan plan = planner.plan(request);

        assertEquals(Status.IN_FLIGHT, plan.instances().get(0).status());
        assertEquals(List.of(), plan.startableNow());
        assertEquals(PlanReason.IN_FLIGHT_LIMIT, plan.instances().get(1).reason());
        assertEquals(SHIP.plus(HALF_HOUR), plan.instances().get(1).start());
    }

    @Test
    void shouldTreatInstancesOnTheVersionOrNewerAsDoneAndCountThemOnTheBoard() {
        List<Instance> fleet = List.of(
                new Instance(
                        "staff",
                        "reef-a",
                        "eu",
                        "v",
                        MaintenanceWindow.parse("Daily 09:00-12:00"),
                        true,
                        PinnedRing.STAFF,
                        false,
                        NEW),
                new Instance(
                        "c1",
                        "reef-a",
                        "eu",
                        "t",
                        MaintenanceWindow.parse("Daily 09:00-12:00"),
                        true,
                        PinnedRing.NONE,
                        false,
                        Version.parse("2027.1.0")));
        Instant now = SHIP.plus(Duration.ofHours(2));

        Plan plan = planner.plan(request(fleet, policy(1), release())
                .completedAt(Map.of("staff", SHIP.plus(HALF_HOUR)))
                .at(now));

        assertEquals(PlanReason.ALREADY_ON_VERSION, plan.instances().get(1).reason(), "never downgraded");
        assertEquals("1/1", plan.rings().get(0).doneOfTotal());
        assertEquals(SHIP.plus(Duration.ofMinutes(90)), plan.rings().get(1).opensAt(), "staff done 08:30 + 1 h soak");
        assertEquals("1/1", plan.rings().get(1).doneOfTotal());
    }

    @Test
    void shouldSkipSoaksForAnExpeditedReleaseButKeepWindows() {
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 09:00-12:00", PinnedRing.STAFF),
                instance("c1", "reef-a", "Daily 08:00-12:00"));
        Release fix = new Release(NEW, "app", "stable", SHIP, List.of(), true, false, null);

        Plan plan = planner.plan(request(fleet, policy(1), fix).at(SHIP));

        assertEquals(SHIP.plus(HALF_HOUR), plan.instances().get(1).start(), "Canary opens as staff finishes");

        Release anywhere = new Release(NEW, "app", "stable", SHIP, List.of(), true, true, "security fix");
        List<Instance> closed = List.of(instance("c1", "reef-a", "Sat 01:00-02:00"));
        assertEquals(
                List.of("c1"),
                ids(planner.startableNow(request(closed, policy(1), anywhere).at(SHIP))));
    }

    @Test
    void shouldCarryAnInstanceThatMissesItsRingsDeadlineAndGiveUpInTheLastRing() {
        // Canary opens Monday 09:30, deadline Thursday 09:30: c1's Saturday-only window is too late, so it joins
        // Stable, which opens after the Canary deadline plus a day's soak (Canary is optional here: otherwise it would
        // hold the release, see below). l1's Friday window comes after the laggard ring's one day deadline.
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-a", "Sat 09:00-12:00"),
                instance("l1", "reef-a", "Fri 09:00-12:00", PinnedRing.LAGGARD));
        RingPolicy base = policy(1);
        List<Ring> rings = new ArrayList<>(base.rings());
        rings.set(
                1,
                new Ring(
                        "Canary",
                        new RingSelector.Explicit(Set.of("c1", "c2")),
                        Duration.ofDays(1),
                        Duration.ofDays(3),
                        true,
                        true));
        rings.set(
                3,
                new Ring(
                        "Laggards",
                        new RingSelector.Pinned(PinnedRing.LAGGARD),
                        Duration.ZERO,
                        Duration.ofDays(1),
                        true));
        RingPolicy policy = new RingPolicy(rings, 1, HALF_HOUR, 3);

        Plan plan = planner.plan(request(fleet, policy, release()).at(SHIP));

        InstancePlan c1 = plan.instances().get(1);
        assertEquals("Stable", c1.ring());
        assertEquals(at("2026-03-07T09:00:00Z"), c1.start());
        assertTrue(c1.detail().startsWith("missed ring Canary's deadline 2026-03-05T09:30:00Z"), c1.detail());
        assertEquals(at("2026-03-05T09:30:00Z"), plan.rings().get(1).completesAt());
        assertEquals(at("2026-03-06T09:30:00Z"), plan.rings().get(2).opensAt());
        InstancePlan l1 = plan.instances().get(2);
        assertEquals(PlanReason.NO_WINDOW_BEFORE_DEADLINE, l1.reason());
        assertEquals(Status.NOT_PLANNED, l1.status());
    }

    @Test
    void shouldExplainInstancesOutsideEveryRing() {
        RingPolicy onlyCanary = new RingPolicy(
                List.of(new Ring("Canary", new RingSelector.Percentage(50), Duration.ZERO, Duration.ofDays(3), true)),
                1,
                HALF_HOUR,
                0);
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("a", "reef-a", "Daily 00:00-24:00"),
                instance("b", "reef-a", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(fleet, onlyCanary, release()).at(SHIP));

        assertEquals(PlanReason.PINNED_WITHOUT_RING, plan.instances().get(0).reason());
        SortedMap<PlanReason, Integer> reasons = new TreeMap<>();
        plan.instances().forEach(p -> reasons.merge(p.reason(), 1, Integer::sum));
        assertEquals(
                Map.of(PlanReason.PINNED_WITHOUT_RING, 1, PlanReason.STARTS_NOW, 1, PlanReason.NOT_IN_ANY_RING, 1),
                reasons);
    }

    /** The talk's rings as in {@link #policy(int)}, none optional. */
    private static RingPolicy strict() {
        List<Ring> rings = policy(1).rings().stream()
                .map(r -> new Ring(r.name(), r.selector(), r.soak(), r.deadline(), r.windowsApply(), false))
                .toList();
        return new RingPolicy(rings, 1, HALF_HOUR, 3);
    }

    @Test
    void shouldHoldTheReleaseAtARingWithoutMembersAndSayWhy() {
        List<Instance> fleet =
                List.of(instance("c1", "reef-a", "Daily 00:00-24:00"), instance("st1", "reef-a", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(fleet, strict(), release()).at(SHIP));

        RingProgress staff = plan.rings().get(0);
        assertTrue(staff.held());
        assertEquals(PlanReason.RING_EMPTY, staff.reason());
        assertEquals(
                "Staff has no member: no instance is pinned to staff; the release holds here (mark the ring optional to"
                        + " let it pass)",
                staff.detail());
        assertNull(staff.completesAt());
        assertNull(plan.rings().get(1).opensAt(), "later rings do not open");
        assertEquals(PlanReason.WAITING_FOR_RING, plan.rings().get(1).reason());
        assertEquals(List.of(), plan.startableNow());
        InstancePlan c1 = plan.instance("c1").orElseThrow();
        assertEquals(Status.NOT_PLANNED, c1.status());
        assertEquals(PlanReason.WAITING_FOR_RING, c1.reason());
        assertEquals(staff.detail(), c1.detail());
    }

    @Test
    void shouldLetAnOptionalRingWithoutMembersPassAndSaySo() {
        List<Instance> fleet = List.of(instance("c1", "reef-a", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(fleet, policy(1), release()).at(SHIP));

        RingProgress staff = plan.rings().get(0);
        assertEquals(false, staff.held());
        assertEquals(PlanReason.RING_EMPTY, staff.reason());
        assertTrue(staff.detail().endsWith("; the ring is optional, so the release goes on"), staff.detail());
        assertEquals(SHIP, plan.rings().get(1).opensAt(), "an empty ring has nothing to soak");
        assertEquals(List.of("c1"), ids(plan.startableNow()));
    }

    @Test
    void shouldHoldTheReleaseWhenEveryMemberOfARingWasCarriedOn() {
        // Canary opens Monday 09:30 with a 3 day deadline; c1 and c2 only have Saturday windows, so both are carried.
        List<Instance> fleet = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-a", "Sat 09:00-12:00"),
                instance("c2", "reef-b", "Sat 09:00-12:00"),
                instance("st1", "reef-a", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(fleet, strict(), release()).at(SHIP));

        RingProgress canary = plan.rings().get(1);
        assertEquals("0/0", canary.doneOfTotal());
        assertTrue(canary.held());
        assertEquals(PlanReason.RING_EMPTY, canary.reason());
        assertEquals(
                "Canary has no member that can finish inside its deadline (2 carried to ring Stable); the release holds"
                        + " here (mark the ring optional to let it pass)",
                canary.detail());
        assertNull(canary.completesAt());
        assertNull(plan.rings().get(2).opensAt(), "Stable does not open without a canary");
        assertNull(plan.rings().get(3).opensAt());
        for (String id : List.of("c1", "c2", "st1")) {
            InstancePlan p = plan.instance(id).orElseThrow();
            assertEquals(Status.NOT_PLANNED, p.status(), id);
            assertEquals(PlanReason.WAITING_FOR_RING, p.reason(), id);
        }
    }

    @Test
    void shouldMakeOnlyLaggardsOptionalInTheDefaultPolicy() {
        RingPolicy defaults = RingPolicy.defaults();
        assertEquals(
                List.of(false, false, false, true),
                defaults.rings().stream().map(Ring::optional).toList());
        List<Instance> noLaggards = List.of(
                instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF),
                instance("c1", "reef-a", "Daily 00:00-24:00"),
                instance("st1", "reef-a", "Daily 00:00-24:00"));

        Plan plan = planner.plan(request(noLaggards, defaults, release()).at(SHIP));

        assertTrue(
                plan.rings().stream().noneMatch(RingProgress::held),
                plan.rings().toString());
        assertEquals(PlanReason.RING_EMPTY, plan.rings().get(3).reason());
        assertEquals(Status.SCHEDULED, plan.instance("st1").orElseThrow().status());
    }

    /**
     * Canary 50% opens Tuesday 08:30 (staff's 30 minute upgrade, then its day of soak) with a one-day deadline: of
     * eight customers, only the four with a Tuesday window can finish in time. A draw blind to windows would take
     * Saturday ones, which would be carried to Stable and leave the canary short.
     */
    @Test
    void shouldDrawCanariesWhoseWindowsFitTheirRing() {
        List<Instance> fleet = new ArrayList<>();
        fleet.add(instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF));
        for (int i = 0; i < 8; i++) {
            fleet.add(instance("c" + i, "reef-" + (i % 2), i % 2 == 0 ? "Tue 09:00-12:00" : "Sat 09:00-12:00"));
        }
        RingPolicy policy = new RingPolicy(
                List.of(
                        new Ring(
                                "Staff",
                                new RingSelector.Pinned(PinnedRing.STAFF),
                                Duration.ofDays(1),
                                Duration.ofDays(1),
                                false),
                        new Ring(
                                "Canary",
                                new RingSelector.Percentage(50),
                                Duration.ofDays(1),
                                Duration.ofDays(1),
                                true),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true)),
                5,
                HALF_HOUR,
                0);

        RingAssignment assignment =
                RingAssignment.assign(policy, fleet, 42, List.of(), RingAssignment.Timing.of(release(), SHIP));

        CanarySelection draw = assignment.canaries().get(0);
        assertEquals(at("2026-03-03T08:30:00Z"), draw.fitFrom());
        assertEquals(at("2026-03-04T08:30:00Z"), draw.fitUntil());
        assertEquals(Set.of("c0", "c2", "c4", "c6"), draw.instanceIds());
        assertNotEquals(
                draw.instanceIds(),
                RingAssignment.assign(policy, fleet, 42, List.of())
                        .canaries()
                        .get(0)
                        .instanceIds(),
                "the same seed blind to windows draws Saturday instances");
        Plan plan = planner.plan(
                PlanRequest.builder(fleet, policy, release(), assignment).at(SHIP));
        assertEquals("0/4", plan.rings().get(1).doneOfTotal(), "every canary upgrades in its ring");
        assertEquals(
                at("2026-03-03T09:00:00Z"), plan.instance("c0").orElseThrow().start());

        RingAssignment anywhere =
                RingAssignment.assign(policy, fleet, 42, List.of(), new RingAssignment.Timing(SHIP, false, true));
        assertEquals(8, anywhere.canaries().get(0).fitting(), "a release that ignores windows fits everyone");
    }

    @Test
    void shouldForecastAShortCanary() {
        // 40 customers, of which only two have a window in the canary ring's day: 5% is 2, 10% would be 4.
        List<Instance> fleet = new ArrayList<>();
        fleet.add(instance("staff", "reef-a", "Daily 00:00-24:00", PinnedRing.STAFF));
        for (int i = 0; i < 40; i++) {
            fleet.add(instance(String.format("c%02d", i), "reef-a", i < 2 ? "Tue 09:00-12:00" : "Sat 09:00-12:00"));
        }
        RingPolicy policy = new RingPolicy(
                List.of(
                        new Ring(
                                "Staff",
                                new RingSelector.Pinned(PinnedRing.STAFF),
                                Duration.ofDays(1),
                                Duration.ofDays(1),
                                false),
                        new Ring(
                                "Canary",
                                new RingSelector.Percentage(10),
                                Duration.ofDays(1),
                                Duration.ofDays(1),
                                true),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true)),
                5,
                HALF_HOUR,
                0);

        Forecast forecast = planner.forecast(fleet, policy, release(), SHIP, 42, List.of(), List.of());

        assertEquals(List.of(new Forecast.CanaryShortfall("Canary", 4, 2, 40, 2)), forecast.canaryShortfalls());
        assertEquals(
                List.of("ring Canary is short of canaries: 2 drawn of a target of 4; only 2 of 40 eligible active"
                        + " instances can finish inside its deadline"),
                forecast.warnings());
        assertEquals("0/2", forecast.ring("Canary").orElseThrow().doneOfTotal());

        Forecast full = planner.forecast(
                fleet,
                new RingPolicy(
                        List.of(
                                policy.rings().get(0),
                                new Ring(
                                        "Canary",
                                        new RingSelector.Percentage(5),
                                        Duration.ofDays(1),
                                        Duration.ofDays(1),
                                        true),
                                policy.rings().get(2)),
                        5,
                        HALF_HOUR,
                        0),
                release(),
                SHIP,
                42,
                List.of(),
                List.of());
        assertEquals(List.of(), full.canaryShortfalls(), "5% of 40 is 2, and two fit");
    }

    private static List<String> ids(List<InstancePlan> plans) {
        return plans.stream().map(InstancePlan::instanceId).toList();
    }
}
