package io.reefline.rollout.upgrade.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.analysis.Metric;
import io.reefline.rollout.domain.analysis.MetricCheck;
import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.StatTest;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.upgrade.reconcile.ReconcilerTest.Backoffs;
import io.reefline.rollout.upgrade.reconcile.ReconcilerTest.FakeCluster;
import io.reefline.rollout.upgrade.reconcile.ReconcilerTest.FakeFleet;
import io.reefline.rollout.upgrade.reconcile.ReconcilerTest.MemoryStore;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.FencedOut;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Canary analysis in the reconcile loop, on in-memory parts: a Canary ring of three explicit instances with analysis,
 * then Stable (twenty instances of the same reef). Each tick the test reports one 30 s window per instance, from the
 * version the instance runs at that moment, with seeded noise.
 */
class AnalysisLoopTest {

    static final String OLD = ReconcilerTest.OLD;
    static final String NEW = ReconcilerTest.NEW;
    static final String VERSION = "2026.3.1";
    static final Instant T0 = ReconcilerTest.T0;
    static final Duration TICK = Duration.ofSeconds(30);
    static final List<String> CANARIES = List.of("c1", "c2", "c3");
    static final List<String> STABLE =
            IntStream.rangeClosed(1, 20).mapToObj(i -> "s" + i).toList();

    final MemoryStore store = new MemoryStore();
    final FakeCluster cluster = new FakeCluster();
    final FakeFleet fleet = new FakeFleet() {
        /** The inventory follows the upgrades, as the service's does, so the planner sees a ring complete. */
        @Override
        public void imageChanged(String instanceId, String image) {
            instances.replaceAll(i -> !i.id().equals(instanceId)
                    ? i
                    : new io.reefline.rollout.domain.fleet.Instance(
                            i.id(),
                            i.reef(),
                            i.region(),
                            i.tenant(),
                            i.window(),
                            i.active(),
                            i.pinnedRing(),
                            i.optedOut(),
                            Version.parse(image.substring(image.lastIndexOf(':') + 1)),
                            i.channel()));
        }
    };
    final MemoryAnalyses analyses = new MemoryAnalyses();
    final Random noise = new Random(15);

    final ReconcileSettings settings = new ReconcileSettings(
            Duration.ofMinutes(10),
            new Soak(Duration.ofMinutes(1), 2, 1, 3),
            Duration.ofMinutes(30),
            false,
            Duration.ofSeconds(10),
            Duration.ofMinutes(1),
            Duration.ofMinutes(10),
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Optional.empty(),
            "SEV-2",
            Optional.empty());

    final Reconciler reconciler = new Reconciler(
            store,
            cluster,
            (v, r, ring) -> io.reefline.rollout.domain.plan.GateState.OPEN,
            (url, image) -> new HealthProbe.Result(true, "ok"),
            fleet,
            new Leadership() {
                @Override
                public OptionalLong acquire() {
                    return OptionalLong.of(store.leaderTerm);
                }

                @Override
                public void lost() {}
            },
            new Backoffs(),
            settings,
            tasks -> tasks.forEach(Runnable::run),
            analyses);

    /** Error rate of the new build on each instance. */
    double newErrorRate = 0.005;

    @Test
    void aDegradedBuildIsStoppedInCanaryWithItsEvidenceAndStableNeverStarts() {
        newErrorRate = 0.10;
        setUp(false);

        List<TickReport> reports = run(Duration.ofMinutes(30));

        CanaryAnalyses.StoredVerdict verdict =
                analyses.latest(VERSION, "Canary").orElseThrow();
        assertEquals(Outcome.FAIL, verdict.outcome(), verdict.summary());
        assertTrue(verdict.summary().contains("error-rate"), verdict.summary());
        assertEquals(1, analyses.cords.size(), "one cord for the release");
        UpgradeEvents.AnalysisCordPull cord =
                (UpgradeEvents.AnalysisCordPull) analyses.cords.get(0).body();
        assertEquals("release:" + VERSION, cord.scope());
        assertEquals("canary", cord.ring());
        assertEquals(Outcome.FAIL, cord.evidence().outcome());
        assertEquals(T0, cord.impactStartedAt(), "impact began with the release's first upgrade");
        assertTrue(cord.detectedAt().isAfter(T0));
        assertTrue(
                Duration.between(cord.impactStartedAt(), cord.detectedAt()).compareTo(Duration.ofMinutes(5)) <= 0,
                "detected within five minutes: " + cord.detectedAt());
        for (String id : STABLE) {
            assertEquals(OLD, cluster.image(id), id + " was upgraded past a failed canary");
        }
        long failVerdicts = analyses.stored.stream()
                .filter(v -> v.outcome() == Outcome.FAIL)
                .count();
        assertEquals(1, failVerdicts, "a FAIL stands: no look after it");
        assertTrue(
                reports.get(reports.size() - 1).held().stream()
                        .anyMatch(h -> h.contains("canary analysis failed in ring Canary")),
                "the board says why: " + reports.get(reports.size() - 1).held());
        for (String id : CANARIES) {
            assertEquals(NEW, cluster.image(id), "nothing is restored by itself (always forward)");
        }
    }

    @Test
    void aGoodBuildWaitsForItsAnalysisThenStableOpens() {
        setUp(false);

        Instant stableStarted = null;
        Instant firstPass = null;
        List<Integer> readsAfterPass = new ArrayList<>();
        Instant now = T0;
        for (int i = 0; i < 40; i++, now = now.plus(TICK)) {
            report(now);
            reconciler.tick(now);
            if (firstPass == null
                    && analyses.latest(VERSION, "Canary")
                            .filter(v -> v.outcome() == Outcome.PASS)
                            .isPresent()) {
                firstPass = now;
            }
            if (stableStarted == null && STABLE.stream().anyMatch(id -> NEW.equals(cluster.image(id)))) {
                stableStarted = now;
            }
            if (firstPass != null && !firstPass.equals(now)) {
                readsAfterPass.add(analyses.upgradeReads);
            }
        }
        assertEquals(
                1, readsAfterPass.stream().distinct().count(), "a PASS stands: the ring's upgrades are not read again");
        assertNotNull(firstPass, "passed: " + analyses.stored);
        assertNotNull(stableStarted, "Stable opened");
        assertFalse(stableStarted.isBefore(firstPass), "Stable started at " + stableStarted + " before the PASS");
        assertTrue(analyses.cords.isEmpty(), "no cord for a good build");
        assertTrue(
                analyses.stored.stream()
                        .anyMatch(v ->
                                v.outcome() == Outcome.INCONCLUSIVE && v.acted().startsWith("extends its soak")),
                "before the least observation time, the soak was extended: " + analyses.stored);
        assertFalse(
                firstPass.isBefore(T0.plus(Duration.ofMinutes(5))),
                "no PASS before five minutes of observation: " + firstPass);
    }

    @Test
    void aDryRunRecordsTheFailureButActsOnNothing() {
        newErrorRate = 0.10;
        setUp(true);

        run(Duration.ofMinutes(15));

        assertTrue(analyses.stored.stream().anyMatch(v -> v.outcome() == Outcome.FAIL && v.dryRun()));
        assertTrue(
                analyses.stored.stream()
                        .filter(v -> v.outcome() == Outcome.FAIL)
                        .allMatch(v -> v.acted().startsWith("dry run")),
                analyses.stored.toString());
        assertTrue(analyses.cords.isEmpty(), "a dry run pulls no cord");
        assertTrue(STABLE.stream().anyMatch(id -> NEW.equals(cluster.image(id))), "Stable went on");
    }

    @Test
    void anAnalysisWithoutDataHoldsTheReleasePastTheRingsDeadline() {
        setUp(false);
        silent = true;

        List<TickReport> reports = run(Duration.ofMinutes(25));

        assertTrue(STABLE.stream().allMatch(id -> OLD.equals(cluster.image(id))), "Stable never opened");
        CanaryAnalyses.StoredVerdict last = analyses.latest(VERSION, "Canary").orElseThrow();
        assertEquals(Outcome.INCONCLUSIVE, last.outcome());
        assertTrue(last.acted().startsWith("is held"), last.acted());
        assertTrue(
                reports.get(reports.size() - 1).held().stream().anyMatch(h -> h.contains("is held")),
                reports.get(reports.size() - 1).held().toString());
    }

    @Test
    void aReplicaWhoseTermEndedStoresNoVerdictAndPullsNoCord() {
        newErrorRate = 0.10;
        setUp(false);
        run(Duration.ofMinutes(2));
        int before = analyses.stored.size();
        store.currentTerm = 2; // another replica took over; this one still thinks it leads with term 1

        Instant later = T0.plus(Duration.ofMinutes(10));
        report(later);
        reconciler.tick(later);

        assertEquals(before, analyses.stored.size(), "no verdict stored under an ended term");
        assertTrue(analyses.cords.isEmpty());
        assertThrows(FencedOut.class, () -> analyses.record(VERSION, "Canary", null, false, "x", List.of(), later, 1));
    }

    // --- fixtures ------------------------------------------------------------------------------------------------

    boolean silent;

    private void setUp(boolean dryRun) {
        for (String id : CANARIES) {
            fleet.instances("r1", id);
            cluster.deploy("r1", id, OLD);
        }
        for (String id : STABLE) {
            fleet.instances("r1", id);
            cluster.deploy("r1", id, OLD);
        }
        AnalysisSpec spec = new AnalysisSpec(
                Duration.ofSeconds(30),
                Duration.ofMinutes(5),
                dryRun,
                false,
                List.of(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, 0.5, 0.01, 10, null)));
        RingPolicy policy = new RingPolicy(
                List.of(
                        new Ring(
                                "Canary",
                                new RingSelector.Explicit(new java.util.LinkedHashSet<>(CANARIES)),
                                Duration.ofMinutes(1),
                                Duration.ofMinutes(20),
                                false,
                                false,
                                spec),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(1), false)),
                10,
                Duration.ofMinutes(5),
                0);
        Release release = Release.of(Version.parse(VERSION), NEW, "stable", T0.minusSeconds(60), List.of());
        RingAssignment assignment = RingAssignment.assign(policy, fleet.instances, 1L, List.of());
        fleet.release(new Fleet.ActiveRelease(release, policy, assignment, T0.minusSeconds(60)));
    }

    private List<TickReport> run(Duration length) {
        List<TickReport> reports = new ArrayList<>();
        for (Instant now = T0; !now.isAfter(T0.plus(length)); now = now.plus(TICK)) {
            report(now);
            reports.add(reconciler.tick(now));
        }
        return reports;
    }

    /** The window that just ended, for every instance, from what it runs now. */
    private void report(Instant now) {
        if (silent) {
            return;
        }
        for (String id : fleet.instances.stream().map(i -> i.id()).toList()) {
            boolean upgraded = NEW.equals(cluster.image(id));
            double rate = upgraded ? newErrorRate : 0.005;
            long requests = 400 + noise.nextInt(200);
            long errors = Math.round(requests * rate * (0.5 + noise.nextDouble()));
            analyses.samples.add(new Sample(
                    id, "r1", upgraded ? VERSION : "2026.3.0", now.minus(TICK), now, requests, errors, 80.0, 3, 0, 0));
        }
    }

    /** Verdicts and samples in memory, fenced like the store. */
    final class MemoryAnalyses implements CanaryAnalyses {
        final List<Sample> samples = new ArrayList<>();
        final List<StoredVerdict> stored = new ArrayList<>();
        final List<OutgoingEvent> cords = new ArrayList<>();
        int upgradeReads;

        @Override
        public List<Upgrade> upgradesOf(String releaseVersion) {
            upgradeReads++;
            return store.byId.values().stream()
                    .filter(u -> u.releaseVersion.equals(releaseVersion))
                    .map(Upgrade::copy)
                    .toList();
        }

        @Override
        public List<Sample> samples(Collection<String> reefs, Instant from, Instant to) {
            return samples.stream()
                    .filter(s -> reefs.contains(s.reef())
                            && !s.from().isBefore(from)
                            && s.from().isBefore(to))
                    .toList();
        }

        @Override
        public Optional<StoredVerdict> latest(String releaseVersion, String ring) {
            for (int i = stored.size() - 1; i >= 0; i--) {
                StoredVerdict v = stored.get(i);
                if (v.releaseVersion().equals(releaseVersion) && v.ring().equals(ring)) {
                    return Optional.of(v);
                }
            }
            return Optional.empty();
        }

        @Override
        public void record(
                String releaseVersion,
                String ring,
                Verdict verdict,
                boolean dryRun,
                String acted,
                List<OutgoingEvent> events,
                Instant takenAt,
                long fence) {
            if (fence != store.currentTerm) {
                throw new FencedOut("term " + fence + " ended");
            }
            stored.add(new StoredVerdict(
                    releaseVersion, ring, verdict.outcome(), dryRun, takenAt, verdict.summary(), acted));
            cords.addAll(events);
        }
    }
}
