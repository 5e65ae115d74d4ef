package io.reefline.rollout.simulation;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.plan.Plan;
import io.reefline.rollout.domain.plan.PlanReason;
import io.reefline.rollout.domain.plan.PlanRequest;
import io.reefline.rollout.domain.plan.Planner;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import io.reefline.rollout.upgrade.reconcile.OutgoingEvent;
import io.reefline.rollout.upgrade.reconcile.ReconcileSettings;
import io.reefline.rollout.upgrade.reconcile.Reconciler;
import io.reefline.rollout.upgrade.reconcile.UpgradeEvents;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.ReleaseRecords;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One seeded run of the real {@link Reconciler} (so the real planner, start rules and steps) against a simulated fleet:
 * two replicas on one simulated database, a simulated clock, one {@link java.util.Random}, no threads. Faults come from
 * {@link Chaos}; invariants from {@link Invariants} are checked at every patch, every write and after every tick.
 *
 * <p>The world: 8 reefs in 3 regions, maintenance windows of 1-4 hours (daily or Mon-Fri) in zones with DST changes
 * inside the run (it starts 2027-03-14, the US change; Europe changes on 03-28, Sydney on 04-04), about 5% inactive
 * instances, one staff-pinned and a few laggard-pinned instances, one channel (see the TODO in {@link Invariants}).
 */
final class FleetSimulation {

    static final String STABLE = "stable";

    /** The early-access channel: about 15% of the fleet, with its own staff instance and its own releases. */
    static final String BETA = "beta";

    static final String IMAGE = "registry.reefline.io/reefline/app:";
    static final Instant START = Instant.parse("2027-03-14T06:00:00Z");

    private static final Map<String, String> REGION_OF = new LinkedHashMap<>();
    private static final Map<String, List<String>> ZONES = Map.of(
            "us", List.of("America/New_York", "America/Chicago", "America/Los_Angeles"),
            "eu", List.of("Europe/London", "Europe/Berlin", "Europe/Dublin", "UTC"),
            "au", List.of("Australia/Sydney", "Australia/Melbourne", "Australia/Perth", "Australia/Brisbane"));

    static {
        REGION_OF.put("us-east-1", "us");
        REGION_OF.put("us-central-1", "us");
        REGION_OF.put("us-west-2", "us");
        REGION_OF.put("eu-west-1", "eu");
        REGION_OF.put("eu-central-1", "eu");
        REGION_OF.put("eu-north-1", "eu");
        REGION_OF.put("au-east-1", "au");
        REGION_OF.put("au-southeast-2", "au");
    }

    /** Limits the only acceptable exception to liveness: instances whose windows the planner says cannot fit. */
    static final double MAX_UNREACHABLE_SHARE = 0.01;

    final SimConfig config;
    final Chaos chaos;
    final List<String> reefs = List.copyOf(REGION_OF.keySet());
    final RingPolicy policy = policy();
    final ReconcileSettings settings = settings();
    final SimStore store;
    final SimCluster cluster;
    final SimFleet fleet;
    final SimGate gate;
    final SimHealth health;
    final Invariants invariants;
    private final Replica[] replicas;

    Instant now = START;
    int tick;

    private int nextPatch = 0;
    private int nextOld = 50;
    private final Map<String, List<Set<String>>> recentCanaries = new TreeMap<>();
    private Instant raceAt;
    private Instant fixAt;
    private String fixFor;
    private int freezeCount;
    private final Map<String, Integer> releasesByKind = new TreeMap<>();
    private long crashes;
    private long failedTicks;
    private long takeovers;
    private int calmFrom;
    private int drainTicks;
    private List<String> unreachable = List.of();
    private String fleetSummary = "";

    FleetSimulation(SimConfig config) {
        this.config = config;
        this.chaos = new Chaos(config);
        this.store = new SimStore(this);
        this.cluster = new SimCluster(this);
        this.fleet = new SimFleet(this);
        this.gate = new SimGate(this);
        this.health = new SimHealth(this);
        this.invariants = new Invariants(this);
        this.replicas = new Replica[] {new Replica("replica-a"), new Replica("replica-b")};
    }

    /** A realistic minute-scale policy: Staff -> Canary 5% -> Stable -> Laggards, soaks and deadlines in hours. */
    static RingPolicy policy() {
        return new RingPolicy(
                List.of(
                        new Ring(
                                "Staff",
                                new RingSelector.Pinned(PinnedRing.STAFF),
                                Duration.ofHours(1),
                                Duration.ofDays(1),
                                false),
                        new Ring(
                                "Canary",
                                new RingSelector.Percentage(5),
                                Duration.ofHours(6),
                                Duration.ofDays(2),
                                true),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ofHours(2), Duration.ofDays(5), true),
                        new Ring(
                                "Laggards",
                                new RingSelector.Pinned(PinnedRing.LAGGARD),
                                Duration.ZERO,
                                Duration.ofDays(5),
                                true,
                                true)),
                10,
                Duration.ofMinutes(15),
                3);
    }

    static ReconcileSettings settings() {
        return new ReconcileSettings(
                Duration.ofMinutes(15),
                new Soak(Duration.ofMinutes(30), 3, 2, 3),
                Duration.ofMinutes(15),
                !"false".equals(System.getProperty("sim.pilot")), // -Dsim.pilot=false: without the pilot rule
                Duration.ofMinutes(1),
                Duration.ofMinutes(8),
                Duration.ofMinutes(30),
                Duration.ofMinutes(1),
                Duration.ofMinutes(10),
                Optional.of("http://{instance}.{reef}.sim/health"),
                "SEV-2",
                Optional.empty());
    }

    /** One replica: the in-memory part of the service, thrown away by a crash. */
    private final class Replica {
        final String name;
        Reconciler reconciler;

        Replica(String name) {
            this.name = name;
            start();
        }

        void start() {
            reconciler = new Reconciler(
                    store,
                    cluster,
                    gate,
                    health,
                    fleet,
                    new SimLeadership(store, name),
                    new SimReefBackoff(settings),
                    settings,
                    tasks -> tasks.forEach(Runnable::run));
        }
    }

    /** Runs the simulation; returns its numbers, or throws an {@link AssertionError} naming the seed and the tick. */
    Result run() {
        Logger reconcileLog = Logger.getLogger("io.reefline.rollout.upgrade.reconcile");
        Level level = reconcileLog.getLevel();
        reconcileLog.setLevel(Level.OFF); // thousands of expected warnings; the invariants say what matters
        try {
            return runQuietly();
        } finally {
            reconcileLog.setLevel(level);
        }
    }

    private Result runQuietly() {
        long began = System.nanoTime();
        buildFleet();
        calmFrom = (int) Math.round(config.ticks() * (1 - config.calmFraction()));
        int drainLimit = config.drainDays() * 24 * 60 / config.tickMinutes();
        int firstRelease = chaos.between(0, 20);
        for (tick = 0; ; tick++) {
            if (tick == calmFrom) {
                chaos.calm(true);
                gate.open();
                fleet.clearFreezes();
            }
            if (tick >= config.ticks()) {
                if ((tick - config.ticks()) % 20 == 0 && converged()) {
                    break;
                }
                if (tick >= config.ticks() + drainLimit) {
                    break;
                }
                drainTicks++;
            }
            if (tick == firstRelease) {
                register("first", STABLE, false);
                register("first", BETA, false);
            }
            step();
            invariants.afterTick();
            if (!invariants.violations().isEmpty()) {
                throw failure(invariants.violations());
            }
        }
        checkLiveness();
        return new Result(this, (System.nanoTime() - began) / 1_000_000);
    }

    private AssertionError failure(List<String> violations) {
        StringBuilder text = new StringBuilder("Fault simulation failed: seed " + config.seed() + ", tick " + tick
                + " (" + now + "); replay with -Dsim.seed=" + config.seed() + " -Dsim.ticks=" + config.ticks()
                + overrides() + "\n");
        violations.stream().limit(20).forEach(v -> text.append("  ").append(v).append('\n'));
        if (violations.size() > 20) {
            text.append("  ... and ").append(violations.size() - 20).append(" more\n");
        }
        return new AssertionError(text.toString());
    }

    /** The other {@code -Dsim.*} settings of this run, for the replay line. */
    private static String overrides() {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(System.getProperties()).forEach((key, value) -> {
            String name = key.toString();
            if (name.startsWith("sim.")
                    && !Set.of("sim.seed", "sim.seeds", "sim.firstSeed", "sim.ticks")
                            .contains(name)) {
                text.append(" -D").append(name).append('=').append(value);
            }
        });
        return text.toString();
    }

    // --- one tick -------------------------------------------------------------------------------------------------

    private void step() {
        now = now.plus(Duration.ofMinutes(config.tickMinutes()));
        if (chaos.roll("clock-jump", config.clockJumpRate())) {
            now = now.plus(Duration.ofMinutes(chaos.between(60, 360)));
        }
        cluster.progress(now);
        fleet.watch(now, cluster.deployments());
        for (OutgoingEvent cord : store.deliverDue(now)) {
            String version = ((UpgradeEvents.CordPull) cord.body()).suspectedRelease();
            gate.cordPulled(version);
            operatorSeesCord(version);
        }
        environment();
        releases();
        Replica[] order = chaos.random.nextBoolean() ? replicas : new Replica[] {replicas[1], replicas[0]};
        for (Replica replica : order) {
            try {
                replica.reconciler.tick(now);
            } catch (SimulatedCrash crash) {
                crashes++;
                restart(replica);
            } catch (SimulatedDatabaseError e) {
                failedTicks++; // the scheduler job logs it; the next tick starts over from the store
            } catch (RuntimeException | Error e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                invariants.violation(0, replica.name + "'s tick threw " + trace);
            }
        }
    }

    /** The process died: everything but the database and the cluster is gone; its lock session ends with it. */
    private void restart(Replica replica) {
        if (replica.name.equals(store.holder)) {
            store.holder = null;
        }
        replica.start();
    }

    /** Another replica takes the lead (the holder's lease ran out, a pause, a partition): a new term. */
    void leadershipTakenOver() {
        takeovers++;
        String other = replicas[0].name.equals(store.holder) ? replicas[1].name : replicas[0].name;
        store.holder = other;
        store.term++;
    }

    private void environment() {
        if (chaos.roll("gate-flap", config.gateFlapRate())) {
            gate.flap(reefs.get(chaos.random.nextInt(reefs.size())), now.plusSeconds(60L * chaos.between(5, 90)));
        }
        if (chaos.roll("gate-outage", config.gateOutageRate())) {
            gate.outage(now.plusSeconds(60L * chaos.between(5, 60)));
        }
        if (chaos.roll("leadership-lost", config.leadershipLossRate())) {
            leadershipTakenOver();
        }
        if (chaos.roll("freeze", config.freezeRate())) {
            freeze();
        }
    }

    private void freeze() {
        String id = "freeze-" + (++freezeCount);
        int kind = chaos.random.nextInt(10);
        Freeze.Scope scope = kind < 2 ? Freeze.Scope.GLOBAL : kind < 7 ? Freeze.Scope.REEF : Freeze.Scope.TENANT;
        String target = switch (scope) {
            case GLOBAL -> null;
            case REEF -> reefs.get(chaos.random.nextInt(reefs.size()));
            case TENANT ->
                fleet.instances()
                        .get(chaos.random.nextInt(fleet.instances().size()))
                        .tenant();
        };
        Freeze.Period period;
        if (scope == Freeze.Scope.TENANT && chaos.chance(0.3)) {
            period = new Freeze.Weekly(MaintenanceWindow.parse("Sat,Sun 00:00-24:00 Europe/London"));
        } else {
            Instant start = now.plusSeconds(60L * chaos.between(-30, 120));
            period = new Freeze.OneOff(start, start.plusSeconds(60L * chaos.between(30, 720)));
        }
        fleet.addFreeze(new Freeze(
                id, scope, target, period, "simulated " + scope.name().toLowerCase(java.util.Locale.ROOT) + " freeze"));
    }

    private void releases() {
        if (raceAt != null && !now.isBefore(raceAt)) {
            raceAt = null;
            register("racing", someChannel(), false);
        }
        if (fixAt != null && !now.isBefore(fixAt)) {
            fixAt = null;
            String channel =
                    fleet.release(fixFor).map(r -> r.release().channel()).orElse(STABLE);
            if (newest(channel).map(r -> r.version().equals(fixFor)).orElse(false)) {
                register("fix", channel, chaos.chance(config.expediteRate()));
            }
        }
        if (chaos.roll("new-release", config.newReleaseRate())) {
            register("superseding", someChannel(), false);
        }
        if (chaos.roll("old-release", config.oldReleaseRate())) {
            register("older-late", someChannel(), false);
        }
    }

    /** The operator reads a delivered cord and ships a fixed, newer release (always forward). */
    private void operatorSeesCord(String version) {
        String channel = fleet.release(version).map(r -> r.release().channel()).orElse(STABLE);
        if (fixAt == null
                && newest(channel).map(r -> r.version().equals(version)).orElse(false)) {
            fixFor = version;
            fixAt = now.plusSeconds(60L * chaos.between(30, 240));
        }
    }

    private Optional<ActiveRelease> newest(String channel) {
        return fleet.newestPerChannel().stream()
                .filter(r -> r.release().channel().equals(channel))
                .findFirst();
    }

    /** The newest release of every channel, for the report. */
    private String newestPerChannel() {
        List<String> newest = new ArrayList<>();
        for (ActiveRelease r : fleet.newestPerChannel()) {
            newest.add(r.release().channel() + " " + r.version());
        }
        return newest.isEmpty() ? "-" : String.join(", ", newest);
    }

    /** Most releases are of the stable channel; a fifth are betas. */
    private String someChannel() {
        return chaos.chance(0.2) ? BETA : STABLE;
    }

    private void register(String kind, String channel, boolean expedite) {
        String version = kind.equals("older-late") ? "2027.2." + nextOld++ : "2027.3." + nextPatch++;
        Release release = new Release(
                Version.parse(version),
                IMAGE + version,
                channel,
                now,
                List.of(Long.toHexString(chaos.random.nextLong())),
                expedite,
                false,
                null);
        // As registration does: the draw sees only the release's channel, and knows when the rings open.
        List<Set<String>> recent = recentCanaries.computeIfAbsent(channel, c -> new ArrayList<>());
        RingAssignment assignment = RingAssignment.assign(
                policy,
                release.instancesOf(fleet.instances()),
                chaos.random.nextLong(),
                List.copyOf(recent),
                RingAssignment.Timing.of(release, now));
        Set<String> canaries = new java.util.HashSet<>();
        assignment.canaries().forEach(c -> canaries.addAll(c.instanceIds()));
        recent.add(0, canaries);
        fleet.register(new ActiveRelease(release, policy, assignment, now));
        releasesByKind.merge(channel + " " + kind + (expedite ? " (expedited)" : ""), 1, Integer::sum);
        if (!chaos.calm() && !kind.equals("older-late") && !kind.equals("racing") && chaos.chance(0.3)) {
            raceAt = now.plusSeconds(60L * chaos.between(3, 40)); // two releases close together
        }
    }

    // --- the fleet ------------------------------------------------------------------------------------------------

    private void buildFleet() {
        int n = config.instances();
        int staff = chaos.random.nextInt(n);
        int betaStaff = (staff + 1 + chaos.random.nextInt(n - 1)) % n; // each channel dog-foods its own builds
        for (int i = 0; i < n; i++) {
            String reef = reefs.get(i % reefs.size());
            String region = REGION_OF.get(reef);
            List<String> zones = ZONES.get(region);
            String zone = zones.get(chaos.random.nextInt(zones.size()));
            int startHour = chaos.chance(0.6) ? (20 + chaos.random.nextInt(9)) % 24 : chaos.random.nextInt(24);
            int startMinute = chaos.chance(0.5) ? 0 : 30;
            int hours = chaos.between(1, 4);
            String days = chaos.chance(0.7) ? "Daily" : "Mon-Fri";
            String window = days + " " + clock(startHour, startMinute) + "-"
                    + clock((startHour + hours) % 24, startMinute) + " " + zone;
            PinnedRing pin = i == staff || i == betaStaff
                    ? PinnedRing.STAFF
                    : chaos.chance(0.004) ? PinnedRing.LAGGARD : PinnedRing.NONE;
            String channel = i == betaStaff || (i != staff && chaos.chance(0.15)) ? BETA : STABLE;
            double age = chaos.random.nextDouble();
            String version = age < 0.85 ? "2027.2.4" : age < 0.97 ? "2027.2.3" : "2027.1.9";
            String id = String.format("i-%04d", i);
            fleet.add(new Instance(
                    id,
                    reef,
                    region,
                    "tenant-" + chaos.random.nextInt(n * 3 / 4),
                    MaintenanceWindow.parse(window),
                    !chaos.chance(0.05),
                    pin,
                    false,
                    Version.parse(version),
                    channel));
            cluster.add(id, reef, IMAGE + version);
        }
        List<Instance> all = fleet.instances();
        fleetSummary = String.format(
                "%d reefs in 3 regions, %d inactive, %d staff-pinned, %d laggard-pinned, %d Mon-Fri windows, %d zones",
                reefs.size(),
                all.stream().filter(i -> !i.active()).count(),
                all.stream().filter(i -> i.pinnedRing() == PinnedRing.STAFF).count(),
                all.stream().filter(i -> i.pinnedRing() == PinnedRing.LAGGARD).count(),
                all.stream().filter(i -> i.window().days().size() == 5).count(),
                all.stream().map(i -> i.window().zone()).distinct().count());
    }

    private static String clock(int hour, int minute) {
        return String.format("%02d:%02d", hour, minute);
    }

    // --- liveness -------------------------------------------------------------------------------------------------

    /** Every instance not on the newest release of its channel, with what the planner says about it. */
    private Map<String, InstancePlan> behind() {
        Map<String, InstancePlan> behind = new LinkedHashMap<>();
        for (ActiveRelease newest : fleet.newestPerChannel()) {
            List<String> ids = new ArrayList<>();
            for (Instance instance : newest.release().instancesOf(fleet.instances())) {
                Version v = invariants.version(cluster.deployment(instance.id()).image);
                if (v == null || !v.isAtLeast(newest.release().version())) {
                    ids.add(instance.id());
                }
            }
            if (ids.isEmpty()) {
                continue;
            }
            ReleaseRecords records = store.records(newest.version());
            Plan plan = new Planner()
                    .plan(PlanRequest.builder(fleet.instances(), newest.policy(), newest.release(), newest.assignment())
                            .releaseTime(newest.releaseTime())
                            .freezes(fleet.freezes())
                            .inFlight(records.inFlight())
                            .completedAt(records.completedAt())
                            .failed(records.failed())
                            .at(now));
            Map<String, InstancePlan> byId = new LinkedHashMap<>();
            plan.instances().forEach(p -> byId.put(p.instanceId(), p));
            ids.forEach(id -> behind.put(id, byId.get(id)));
        }
        return behind;
    }

    private static boolean windowsCannotFit(InstancePlan p) {
        return p != null
                && p.status() == InstancePlan.Status.NOT_PLANNED
                && (p.reason() == PlanReason.NO_FITTING_WINDOW || p.reason() == PlanReason.NO_WINDOW_BEFORE_DEADLINE);
    }

    private boolean converged() {
        if (fixAt != null || raceAt != null) {
            return false;
        }
        return behind().values().stream().allMatch(FleetSimulation::windowsCannotFit);
    }

    /**
     * Invariant 7: after the faults stopped, every instance reaches the newest release of its channel. The one
     * exception: instances the planner reports as not plannable because their window cannot fit (no fitting window, or
     * none before the last ring's deadline); they must be at most {@link #MAX_UNREACHABLE_SHARE} of the fleet. Also:
     * every failed upgrade was restored (or given up as UNRESTORED) and its cord reached andon-service.
     */
    private void checkLiveness() {
        Map<String, InstancePlan> behind = behind();
        List<String> problems = new ArrayList<>();
        List<String> exceptions = new ArrayList<>();
        behind.forEach((id, p) -> {
            String what = id + " runs " + cluster.deployment(id).image + "; planner: "
                    + (p == null ? "no plan" : p.status() + " " + p.reason() + " (" + p.detail() + ")");
            (windowsCannotFit(p) ? exceptions : problems).add(what);
        });
        unreachable = exceptions;
        if (exceptions.size() > MAX_UNREACHABLE_SHARE * config.instances()) {
            problems.add(
                    0,
                    exceptions.size() + " instances cannot fit their windows, more than " + MAX_UNREACHABLE_SHARE * 100
                            + "% of the fleet");
        }
        for (var u : store.all()) {
            if (u.state == UpgradeState.FAILED) {
                problems.add(u + " was never restored: " + u.reason);
            }
            if (u.state.failed() && (u.cordEventId == null || !store.delivered(u.cordEventId))) {
                problems.add(u + " failed, and its cord " + u.cordEventId + " never reached andon-service");
            }
        }
        if (!problems.isEmpty()) {
            List<String> violations = new ArrayList<>();
            violations.add("invariant 7 (liveness) after " + drainTicks + " calm drain ticks: " + problems.size()
                    + " instance(s) not on "
                    + "the newest release of their channel (" + newestPerChannel() + ")");
            problems.stream().limit(10).forEach(violations::add);
            throw failure(violations);
        }
    }

    /** A hash of everything the run left behind: every stored upgrade and every Deployment's image. */
    long fingerprint() {
        long hash = 17;
        for (var u : store.all()) {
            hash = 31 * hash
                    + (u.id + "|" + u.instanceId + "|" + u.releaseVersion + "|" + u.state + "|" + u.version + "|"
                                    + u.plannedAt + "|" + u.finishedAt + "|" + u.reason)
                            .hashCode();
        }
        for (SimCluster.Deployment d : cluster.deployments()) {
            hash = 31 * hash + (d.instanceId + "|" + d.image + "|" + d.generation).hashCode();
        }
        return 31 * hash + now.hashCode();
    }

    // --- numbers --------------------------------------------------------------------------------------------------

    /** What one run did. */
    record Result(
            long seed,
            int ticks,
            int drainTicks,
            int instances,
            Duration simulated,
            long planned,
            long started,
            long succeeded,
            long failed,
            long restored,
            long unrestored,
            long cancelled,
            Map<String, Long> faults,
            long faultsTotal,
            long crashes,
            long failedTicks,
            long takeovers,
            long fencedWrites,
            long patches,
            long restorePatches,
            Map<String, Integer> releases,
            String newest,
            int unreachable,
            long invariantChecks,
            Map<Integer, Long> checksPerInvariant,
            long emptyRingsPassed,
            long openedWhileEarlierRan,
            long fingerprint,
            String fleet,
            String calls,
            long wallMillis) {

        Result(FleetSimulation s, long wallMillis) {
            this(
                    s.config.seed(),
                    s.tick,
                    s.drainTicks,
                    s.config.instances(),
                    Duration.between(START, s.now),
                    s.store.size(),
                    s.store.entered(UpgradeState.STARTED),
                    s.store.entered(UpgradeState.SUCCEEDED),
                    s.store.entered(UpgradeState.FAILED),
                    s.store.entered(UpgradeState.RESTORED),
                    s.store.entered(UpgradeState.UNRESTORED),
                    s.store.entered(UpgradeState.CANCELLED),
                    Map.copyOf(s.chaos.injected()),
                    s.chaos.total(),
                    s.crashes,
                    s.failedTicks,
                    s.takeovers,
                    s.store.fencedOut,
                    s.invariants.upgradePatches,
                    s.invariants.restorePatches,
                    Map.copyOf(s.releasesByKind),
                    s.newestPerChannel(),
                    s.unreachable.size(),
                    s.invariants.checks(),
                    new TreeMap<>(s.invariants.checksPerInvariant()),
                    s.invariants.emptyRingsPassed,
                    s.invariants.openedWhileEarlierRan,
                    s.fingerprint(),
                    s.fleetSummary,
                    String.format(
                            "%d Deployment reads, %d patches, %d health checks, %d gate questions, %d store writes",
                            s.cluster.finds, s.cluster.patches, s.health.checks, s.gate.asked, s.store.writes),
                    wallMillis);
        }

        String describe() {
            return String.format(
                    "seed %d: %d ticks (%d calm drain) over %d instances, simulated %dd %dh, wall %.1f s%n"
                            + "  fleet: %s%n"
                            + "  calls: %s%n"
                            + "  upgrades: %d planned, %d started, %d succeeded, %d failed, %d restored, %d unrestored,"
                            + " %d cancelled; %d upgrade patches, %d restore patches%n"
                            + "  releases: %s; newest %s; %d instance(s) whose windows cannot fit%n"
                            + "  faults: %d injected %s%n"
                            + "  crashes %d, failed ticks %d, leader takeovers %d, fenced-out writes refused %d%n"
                            + "  invariant checks: %d %s; empty rings passed %d;"
                            + " patches in a ring while the previous ring still ran %d; fingerprint %016x",
                    seed,
                    ticks,
                    drainTicks,
                    instances,
                    simulated.toDays(),
                    simulated.toHoursPart(),
                    wallMillis / 1000.0,
                    fleet,
                    calls,
                    planned,
                    started,
                    succeeded,
                    failed,
                    restored,
                    unrestored,
                    cancelled,
                    patches,
                    restorePatches,
                    new TreeMap<>(releases),
                    newest,
                    unreachable,
                    faultsTotal,
                    new TreeMap<>(faults),
                    crashes,
                    failedTicks,
                    takeovers,
                    fencedWrites,
                    invariantChecks,
                    checksPerInvariant,
                    emptyRingsPassed,
                    openedWhileEarlierRan,
                    fingerprint);
        }
    }
}
