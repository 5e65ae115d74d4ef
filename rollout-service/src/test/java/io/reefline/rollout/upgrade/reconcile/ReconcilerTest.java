package io.reefline.rollout.upgrade.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.plan.InFlightUpgrade;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.upgrade.RolloutObservation;
import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop's rules for refusals, reef faults, re-checks before a patch and fencing, on small in-memory parts.
 * The seeded fault simulation covers the same loop at fleet scale.
 */
class ReconcilerTest {

    static final String OLD = "registry.example/product:2026.3.0";
    static final String NEW = "registry.example/product:2026.3.1";
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    final MemoryStore store = new MemoryStore();
    final FakeCluster cluster = new FakeCluster();
    final FakeFleet fleet = new FakeFleet();
    final Backoffs reefs = new Backoffs();
    GateState gate = GateState.OPEN;
    int lostCalls;

    final Leadership leadership = new Leadership() {
        @Override
        public OptionalLong acquire() {
            return OptionalLong.of(store.leaderTerm);
        }

        @Override
        public void lost() {
            lostCalls++;
        }
    };

    final ReconcileSettings settings = new ReconcileSettings(
            Duration.ofMinutes(10),
            new Soak(Duration.ofMinutes(2), 3, 2, 3),
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
            (v, r, ring) -> gate,
            (url, image) -> new HealthProbe.Result(true, "ok"),
            fleet,
            leadership,
            reefs,
            settings,
            tasks -> tasks.forEach(Runnable::run));

    @Test
    void aRestoreRefusedEveryTimeNeverBlocksItsReefAndIsGivenUpAfterTheBound() {
        fleet.instances("r1", "a", "b");
        fleet.release(windowsIgnored());
        cluster.deploy("r1", "a", NEW);
        cluster.deploy("r1", "b", OLD);
        Upgrade poison = Upgrade.planned("a", "r1", "2026.3.1", "All", NEW, OLD, T0.minusSeconds(600), "test");
        poison.state = UpgradeState.FAILED;
        poison.startedAt = T0.minusSeconds(590);
        poison.failedAt = T0.minusSeconds(60);
        poison.reason = "rollout failed";
        store.put(poison);
        cluster.refuse("a", 422); // an admission webhook refuses every change of a

        Instant now = T0;
        reconciler.tick(now);
        assertEquals(NEW, cluster.image("b"), "b started in the same tick the restore of a was refused");
        assertFalse(reefs.waiting("r1", now), "a refusal is the upgrade's problem, not the reef's");
        for (int minute = 1; minute <= 11; minute++) {
            now = T0.plusSeconds(60L * minute);
            reconciler.tick(now);
            assertFalse(reefs.waiting("r1", now));
        }
        assertEquals(UpgradeState.SUCCEEDED, store.of("b").state, "b finished while a was refused");
        Upgrade given = store.of("a");
        assertEquals(UpgradeState.UNRESTORED, given.state, "given up after 10 minutes of refusals");
        assertTrue(given.reason.contains("could not be restored"), given.reason);
        assertTrue(cluster.patches.stream().noneMatch(p -> p.startsWith("a:")), "a was never changed");
    }

    @Test
    void aReefFaultBacksTheReefOffWhileARefusalInAnotherReefDoesNot() {
        fleet.instances("r1", "a");
        fleet.instances("r2", "b");
        fleet.release(windowsIgnored());
        cluster.deploy("r1", "a", OLD);
        cluster.deploy("r2", "b", OLD);
        cluster.down("r1", 503);
        cluster.refuse("b", 409);

        TickReport report = reconciler.tick(T0);
        assertTrue(reefs.waiting("r1", T0.plusSeconds(1)), "503: the reef backs off");
        assertFalse(reefs.waiting("r2", T0.plusSeconds(1)), "409: only the upgrade backs off");
        assertTrue(report.reefErrors().stream().anyMatch(e -> e.startsWith("r1: HTTP 503")), report.toString());
        Upgrade b = store.of("b");
        assertEquals(UpgradeState.PLANNED, b.state);
        assertEquals(1, b.attempts);
        assertEquals(T0.plusSeconds(10), b.nextAttemptAt, "its own backoff");
    }

    @Test
    void aRetriedPatchIsStoppedByAFreezeCreatedMeanwhile() {
        fleet.instances("r1", "a");
        fleet.release(windowsIgnored());
        cluster.deploy("r1", "a", OLD);
        cluster.refuse("a", 409);
        reconciler.tick(T0);
        assertEquals(UpgradeState.PLANNED, store.of("a").state);

        cluster.refuse("a", 0 /* no longer */);
        fleet.freezes.add(new Freeze(
                "f1", Freeze.Scope.GLOBAL, null, new Freeze.OneOff(T0, T0.plusSeconds(3600)), "quarter close"));
        reconciler.tick(T0.plusSeconds(30));
        Upgrade a = store.of("a");
        assertEquals(UpgradeState.CANCELLED, a.state);
        assertTrue(a.reason.contains("frozen by freeze 'f1'"), a.reason);
        assertEquals(OLD, cluster.image("a"), "the retried patch never went out");
    }

    @Test
    void aPlannedUpgradeResumedAfterARestartIsNotPatchedOutsideItsWindow() {
        fleet.instances("r1", "a"); // window 09:00-10:30 UTC
        fleet.release(windowsApply());
        cluster.deploy("r1", "a", OLD);
        store.put(Upgrade.planned("a", "r1", "2026.3.1", "All", NEW, OLD, T0, "planned before the restart"));

        reconciler.tick(Instant.parse("2026-03-02T10:25:00Z")); // 5 minutes left, 10 needed
        Upgrade a = store.of("a");
        assertEquals(UpgradeState.CANCELLED, a.state);
        assertTrue(a.reason.contains("outside its maintenance window"), a.reason);
        assertEquals(OLD, cluster.image("a"));
    }

    @Test
    void aReplicaWhoseTermEndedMovesNothingAndGivesTheLeadUp() {
        fleet.instances("r1", "a");
        fleet.release(windowsIgnored());
        cluster.deploy("r1", "a", OLD);
        store.currentTerm = 2; // another replica took over; this one still believes in term 1
        TickReport report = reconciler.tick(T0);
        assertEquals(0, report.started());
        assertEquals(OLD, cluster.image("a"), "no patch without a stored plan");
        assertTrue(store.byId.isEmpty(), "nothing written");
        assertEquals(1, lostCalls);
        assertTrue(report.reefErrors().stream().anyMatch(e -> e.startsWith("leadership lost")), report.toString());
    }

    @Test
    void theReleasesPolicySaysHowManySpreadChecksASoakNeeds() {
        fleet.instances("r1", "a");
        Fleet.ActiveRelease release = windowsIgnored();
        RingPolicy five = new RingPolicy(
                release.policy().rings(),
                release.policy().inFlightLimitPerReef(),
                release.policy().expectedUpgrade(),
                0,
                5);
        fleet.release(new Fleet.ActiveRelease(release.release(), five, release.assignment(), release.releaseTime()));
        cluster.deploy("r1", "a", OLD);
        reconciler.tick(T0); // patched
        reconciler.tick(T0.plusSeconds(60)); // available, first check
        for (int minute = 2; minute <= 4; minute++) {
            reconciler.tick(T0.plusSeconds(60L * minute));
        }
        assertEquals(UpgradeState.VERIFYING, store.of("a").state, "4 passes over the 2 minute soak; the policy asks 5");
        reconciler.tick(T0.plusSeconds(300));
        Upgrade a = store.of("a");
        assertEquals(UpgradeState.SUCCEEDED, a.state);
        assertEquals(5, a.checksPassed);
    }

    @Test
    void aPilotStrandedInAnUnreachableReefDoesNotHoldTheReleaseInTheOtherReefs() {
        ReconcileSettings withPilot = new ReconcileSettings(
                settings.rolloutTimeout(),
                settings.soak(),
                settings.startTimeout(),
                true,
                settings.upgradeBackoff(),
                settings.upgradeBackoffMax(),
                settings.giveUpAfter(),
                settings.reefBackoff(),
                settings.reefBackoffMax(),
                settings.healthUrl(),
                settings.cordSeverity(),
                settings.consoleUrl());
        Reconciler piloting = new Reconciler(
                store,
                cluster,
                (v, r, ring) -> gate,
                (url, image) -> new HealthProbe.Result(true, "ok"),
                fleet,
                leadership,
                reefs,
                withPilot,
                tasks -> tasks.forEach(Runnable::run));
        fleet.instances("r1", "a");
        fleet.instances("r2", "b", "c");
        fleet.release(windowsIgnored());
        cluster.deploy("r1", "a", NEW);
        cluster.deploy("r2", "b", OLD);
        cluster.deploy("r2", "c", OLD);
        // The release's first upgrade was patched in r1, and then r1's API stopped answering.
        Upgrade pilot = Upgrade.planned("a", "r1", "2026.3.1", "All", NEW, OLD, T0.minusSeconds(60), "test");
        pilot.state = UpgradeState.STARTED;
        pilot.startedAt = T0.minusSeconds(50);
        store.put(pilot);
        cluster.down("r1", 0);

        piloting.tick(T0);
        assertTrue(reefs.waiting("r1", T0), "r1 backs off");
        assertEquals(UpgradeState.STARTED, store.of("a").state, "the stranded pilot waits for its reef");
        assertEquals(NEW, cluster.image("b"), "one new pilot starts in the reef that answers");
        assertEquals(OLD, cluster.image("c"), "and runs alone there until it succeeds");

        piloting.tick(T0.plusSeconds(1));
        assertEquals(OLD, cluster.image("c"), "still one pilot at a time where the reefs answer");
    }

    // --- fixtures ------------------------------------------------------------------------------------------------

    private Fleet.ActiveRelease windowsIgnored() {
        return active(false);
    }

    private Fleet.ActiveRelease windowsApply() {
        return active(true);
    }

    private Fleet.ActiveRelease active(boolean windows) {
        RingPolicy policy = new RingPolicy(
                List.of(new Ring("All", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), windows)),
                5,
                Duration.ofMinutes(10),
                0);
        Release release = Release.of(Version.parse("2026.3.1"), NEW, "stable", T0.minusSeconds(3600), List.of());
        RingAssignment assignment = RingAssignment.assign(policy, fleet.instances, 1L, List.of());
        return new Fleet.ActiveRelease(release, policy, assignment, T0.minusSeconds(3600));
    }

    static class FakeFleet implements Fleet {
        final List<Instance> instances = new ArrayList<>();
        final List<ActiveRelease> releases = new ArrayList<>();
        final List<Freeze> freezes = new ArrayList<>();

        void instances(String reef, String... ids) {
            for (String id : ids) {
                instances.add(new Instance(
                        id,
                        reef,
                        "eu",
                        "tenant-" + id,
                        MaintenanceWindow.parse("Daily 09:00-10:30"),
                        true,
                        PinnedRing.NONE,
                        false,
                        Version.parse("2026.3.0")));
            }
        }

        void release(ActiveRelease release) {
            releases.add(release);
        }

        @Override
        public List<ActiveRelease> newestPerChannel() {
            return releases;
        }

        @Override
        public List<Instance> instances() {
            return instances;
        }

        @Override
        public List<Freeze> freezes() {
            return freezes;
        }

        @Override
        public void imageChanged(String instanceId, String image) {}
    }

    static final class FakeCluster implements Cluster {
        final Map<String, String> reefOf = new HashMap<>();
        final Map<String, String> images = new HashMap<>();
        final Map<String, Integer> refusals = new HashMap<>();
        final Map<String, Integer> reefDown = new HashMap<>();
        final List<String> patches = new ArrayList<>();

        void deploy(String reef, String id, String image) {
            reefOf.put(id, reef);
            images.put(id, image);
        }

        void refuse(String id, int status) {
            if (status == 0) {
                refusals.remove(id);
            } else {
                refusals.put(id, status);
            }
        }

        void down(String reef, int status) {
            reefDown.put(reef, status);
        }

        String image(String id) {
            return images.get(id);
        }

        private void reachable(String reef) {
            if (reefDown.containsKey(reef)) {
                throw new ClusterException(reefDown.get(reef), "reef " + reef + " is down");
            }
        }

        @Override
        public Optional<LiveDeployment> find(String reef, String instanceId) {
            reachable(reef);
            String image = images.get(instanceId);
            if (image == null) {
                return Optional.empty();
            }
            // The simulated kubelet is instant: whatever image is set is available.
            return Optional.of(new LiveDeployment(
                    instanceId, image, new RolloutObservation(image, 2, 2, 1, 1, 1, true, null), Optional.empty()));
        }

        @Override
        public void changeImage(String reef, LiveDeployment deployment, String expected, String image) {
            reachable(reef);
            Integer refused = refusals.get(deployment.name());
            if (refused != null) {
                throw new ClusterException(refused, "refused by an admission webhook");
            }
            if (!expected.equals(images.get(deployment.name()))) {
                throw new ClusterException(422, "test operation failed");
            }
            images.put(deployment.name(), image);
            patches.add(deployment.name() + ":" + image);
        }
    }

    static final class Backoffs implements ReefBackoff {
        final Map<String, Instant> retryAt = new HashMap<>();
        final Map<String, Integer> failures = new HashMap<>();

        @Override
        public boolean configured(String reef) {
            return true;
        }

        @Override
        public boolean waiting(String reef, Instant now) {
            return retryAt.containsKey(reef) && now.isBefore(retryAt.get(reef));
        }

        @Override
        public void failed(String reef, String error, Instant now) {
            int n = failures.merge(reef, 1, Integer::sum);
            retryAt.put(reef, now.plusSeconds(5L << Math.min(n - 1, 6)));
        }

        @Override
        public void succeeded(String reef) {
            failures.remove(reef);
            retryAt.remove(reef);
        }
    }

    /** Upgrades in memory with the store's contract: fenced, compare-and-set, the schema's uniqueness rules. */
    static final class MemoryStore implements UpgradeStore {
        final Map<Long, Upgrade> byId = new LinkedHashMap<>();
        final Set<java.util.UUID> outbox = new HashSet<>();
        long leaderTerm = 1;
        long currentTerm = 1;
        long nextId = 1;

        void put(Upgrade upgrade) {
            upgrade.id = nextId++;
            byId.put(upgrade.id, upgrade.copy());
        }

        Upgrade of(String instanceId) {
            return byId.values().stream()
                    .filter(u -> u.instanceId.equals(instanceId))
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .copy();
        }

        private void fence(long term) {
            if (term != currentTerm) {
                throw new FencedOut("term " + term + " ended; current " + currentTerm);
            }
        }

        @Override
        public List<Upgrade> running() {
            return byId.values().stream()
                    .filter(u -> u.state.running())
                    .map(Upgrade::copy)
                    .toList();
        }

        @Override
        public Optional<Upgrade> insertPlanned(Upgrade planned, int inFlightLimit, long fence) {
            fence(fence);
            boolean taken = byId.values().stream()
                    .anyMatch(u -> u.instanceId.equals(planned.instanceId)
                            && (u.state.running()
                                    || (u.releaseVersion.equals(planned.releaseVersion)
                                            && u.state != UpgradeState.CANCELLED)));
            long inReef = byId.values().stream()
                    .filter(u -> u.reef.equals(planned.reef) && u.state.running())
                    .count();
            if (taken || inReef >= inFlightLimit) {
                return Optional.empty();
            }
            Upgrade stored = planned.copy();
            put(stored);
            return Optional.of(stored.copy());
        }

        @Override
        public Optional<Upgrade> transition(Upgrade before, Upgrade after, List<OutgoingEvent> events, long fence) {
            fence(fence);
            assertTrue(before.state.mayBecome(after.state), before.state + " -> " + after.state);
            Upgrade stored = byId.get(before.id);
            if (stored.version != before.version || stored.state != before.state) {
                return Optional.empty();
            }
            for (OutgoingEvent event : events) {
                assertTrue(outbox.add(event.id()), "an event id twice: " + event);
            }
            Upgrade next = after.copy();
            next.version = stored.version + 1;
            byId.put(next.id, next);
            return Optional.of(next.copy());
        }

        @Override
        public ReleaseRecords records(String releaseVersion) {
            List<InFlightUpgrade> inFlight = new ArrayList<>();
            Map<String, Instant> completed = new HashMap<>();
            Set<String> failed = new HashSet<>();
            for (Upgrade u : byId.values()) {
                if (u.state.running()) {
                    inFlight.add(
                            new InFlightUpgrade(u.instanceId, u.reef, u.startedAt == null ? u.plannedAt : u.startedAt));
                }
                if (u.releaseVersion.equals(releaseVersion)) {
                    if (u.state == UpgradeState.SUCCEEDED) {
                        completed.put(u.instanceId, u.finishedAt);
                    } else if (u.state.failed()) {
                        failed.add(u.instanceId);
                    }
                }
            }
            return new ReleaseRecords(inFlight, completed, failed);
        }

        @Override
        public boolean cordPending(String releaseVersion) {
            return false;
        }

        @Override
        public PilotCount pilot(String releaseVersion) {
            long succeeded = 0;
            List<String> runningIn = new ArrayList<>();
            for (Upgrade u : byId.values()) {
                if (!u.releaseVersion.equals(releaseVersion)) {
                    continue;
                }
                if (u.state == UpgradeState.SUCCEEDED) {
                    succeeded++;
                } else if (u.state.running()) {
                    runningIn.add(u.reef);
                }
            }
            return new PilotCount(succeeded, runningIn);
        }
    }
}
