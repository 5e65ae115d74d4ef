package io.reefline.rollout.simulation;

import io.reefline.rollout.domain.plan.InFlightUpgrade;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.OutgoingEvent;
import io.reefline.rollout.upgrade.reconcile.UpgradeEvents;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The database: what survives a crash. Upgrades with the SQL schema's rules (one non-cancelled upgrade per instance and
 * release, one running upgrade per instance, the in-flight limit checked in the insert's transaction), compare-and-set
 * transitions on state and version that follow {@link UpgradeState#mayBecome}, the outbox with its primary key, and the
 * leadership row (holder and term) every write is fenced by. A crash may hit before or after a write, and a database
 * error rolls a write back.
 */
final class SimStore implements UpgradeStore {

    /** One outbox row. */
    static final class OutboxRow {
        final OutgoingEvent event;
        final Instant deliverAt;
        boolean delivered;

        OutboxRow(OutgoingEvent event, Instant deliverAt) {
            this.event = event;
            this.deliverAt = deliverAt;
        }
    }

    private final FleetSimulation sim;
    private final TreeMap<Long, Upgrade> all = new TreeMap<>();
    private final TreeMap<Long, Upgrade> running = new TreeMap<>();
    private final Map<String, List<Long>> byRelease = new HashMap<>();
    private final Map<String, Integer> runningPerReef = new TreeMap<>();
    private final Map<String, Long> runningByInstance = new HashMap<>();
    private final Map<String, Long> liveByInstanceAndRelease = new HashMap<>();
    private final Map<String, Set<UUID>> cordsByRelease = new HashMap<>();
    private final LinkedHashMap<UUID, OutboxRow> outbox = new LinkedHashMap<>();
    private final List<OutboxRow> undelivered = new ArrayList<>();
    private final Map<UpgradeState, Long> entered = new EnumMap<>(UpgradeState.class);
    private long nextId = 1;

    /** The leadership row. */
    String holder;

    long term;
    /** The highest fence any successful write used: a write with a lower one would be a fenced-out replica writing. */
    private long highestFenceWritten;

    long writes;
    long fencedOut;

    SimStore(FleetSimulation sim) {
        this.sim = sim;
    }

    // --- reads ----------------------------------------------------------------------------------------------------

    @Override
    public List<Upgrade> running() {
        sim.chaos.maybeCrash("before reading the running upgrades");
        sim.chaos.maybeDatabaseError("reading the running upgrades");
        List<Upgrade> copies = new ArrayList<>(running.size());
        running.values().forEach(u -> copies.add(u.copy()));
        return copies;
    }

    @Override
    public ReleaseRecords records(String releaseVersion) {
        sim.chaos.maybeDatabaseError("reading the records of " + releaseVersion);
        List<InFlightUpgrade> inFlight = new ArrayList<>(running.size());
        for (Upgrade u : running.values()) {
            inFlight.add(new InFlightUpgrade(u.instanceId, u.reef, u.startedAt == null ? u.plannedAt : u.startedAt));
        }
        Map<String, Instant> completedAt = new HashMap<>();
        Set<String> failed = new HashSet<>();
        for (long id : byRelease.getOrDefault(releaseVersion, List.of())) {
            Upgrade u = all.get(id);
            if (u.state == UpgradeState.SUCCEEDED) {
                completedAt.put(u.instanceId, u.finishedAt);
            } else if (u.state.failed()) {
                failed.add(u.instanceId);
            }
        }
        return new ReleaseRecords(inFlight, completedAt, failed);
    }

    @Override
    public boolean cordPending(String releaseVersion) {
        for (UUID cord : cordsByRelease.getOrDefault(releaseVersion, Set.of())) {
            OutboxRow row = outbox.get(cord);
            if (row != null && !row.delivered) {
                return true;
            }
        }
        return false;
    }

    @Override
    public PilotCount pilot(String releaseVersion) {
        long succeeded = 0;
        List<String> runningIn = new ArrayList<>();
        for (long id : byRelease.getOrDefault(releaseVersion, List.of())) {
            Upgrade u = all.get(id);
            if (u.state == UpgradeState.SUCCEEDED) {
                succeeded++;
            } else if (u.state.running()) {
                runningIn.add(u.reef);
            }
        }
        return new PilotCount(succeeded, runningIn);
    }

    // --- writes ---------------------------------------------------------------------------------------------------

    @Override
    public Optional<Upgrade> insertPlanned(Upgrade planned, int inFlightLimit, long fence) {
        sim.chaos.maybeCrash("before inserting a planned upgrade");
        sim.chaos.maybeDatabaseError("inserting a planned upgrade");
        checkTerm(fence);
        if (runningPerReef.getOrDefault(planned.reef, 0) >= inFlightLimit) {
            return Optional.empty();
        }
        String key = planned.instanceId + "|" + planned.releaseVersion;
        if (liveByInstanceAndRelease.containsKey(key) || runningByInstance.containsKey(planned.instanceId)) {
            return Optional.empty(); // the unique indexes upgrade_once_per_release, upgrade_one_running
        }
        if (planned.state != UpgradeState.PLANNED) {
            sim.invariants.violation(8, "inserted an upgrade in state " + planned.state + ": " + planned);
        }
        Upgrade stored = planned.copy();
        stored.id = nextId++;
        stored.version = 0;
        all.put(stored.id, stored);
        byRelease.computeIfAbsent(stored.releaseVersion, r -> new ArrayList<>()).add(stored.id);
        index(null, stored);
        wrote(fence, null, stored);
        sim.chaos.maybeCrash("after inserting a planned upgrade");
        return Optional.of(stored.copy());
    }

    @Override
    public Optional<Upgrade> transition(Upgrade before, Upgrade after, List<OutgoingEvent> events, long fence) {
        if (!before.state.mayBecome(after.state)) {
            sim.invariants.violation(8, "asked to move " + before + " from " + before.state + " to " + after.state);
            throw new IllegalStateException("An upgrade never moves from " + before.state + " to " + after.state);
        }
        sim.chaos.maybeCrash("before storing " + before.state + " -> " + after.state);
        sim.chaos.maybeDatabaseError("storing " + before.state + " -> " + after.state);
        checkTerm(fence);
        Upgrade stored = all.get(before.id);
        if (stored == null || stored.version != before.version || stored.state != before.state) {
            return Optional.empty();
        }
        if (!stored.state.mayBecome(after.state)) {
            sim.invariants.violation(8, "stored " + stored + " may not become " + after.state);
            throw new IllegalStateException("An upgrade never moves from " + stored.state + " to " + after.state);
        }
        if (after.id != stored.id
                || !stored.instanceId.equals(after.instanceId)
                || !stored.releaseVersion.equals(after.releaseVersion)
                || !stored.targetImage.equals(after.targetImage)
                || !stored.previousImage.equals(after.previousImage)) {
            sim.invariants.violation(8, "a transition changed what " + stored + " is: " + after);
        }
        Set<UUID> ids = new HashSet<>();
        for (OutgoingEvent event : events) {
            if (outbox.containsKey(event.id()) || !ids.add(event.id())) {
                // The outbox's primary key: the whole transaction rolls back.
                sim.invariants.violation(
                        8, "outbox already holds event " + event.id() + " (" + event.path() + ") for " + stored);
                throw new SimulatedDatabaseError("duplicate key value violates unique constraint outbox_pkey");
            }
        }
        Upgrade next = after.copy();
        next.version = stored.version + 1;
        all.put(next.id, next);
        index(stored, next);
        for (OutgoingEvent event : events) {
            boolean cord = UpgradeEvents.ANDON.equals(event.destination());
            Instant deliverAt = sim.now.plusSeconds(60L * (cord ? sim.chaos.between(1, 45) : sim.chaos.between(0, 5)));
            OutboxRow row = new OutboxRow(event, deliverAt);
            outbox.put(event.id(), row);
            undelivered.add(row);
            if (cord) {
                cordsByRelease
                        .computeIfAbsent(next.releaseVersion, r -> new HashSet<>())
                        .add(event.id());
            }
        }
        wrote(fence, stored, next);
        sim.chaos.maybeCrash("after storing " + before.state + " -> " + after.state);
        return Optional.of(next.copy());
    }

    private void checkTerm(long fence) {
        if (sim.chaos.roll("leadership-lost", sim.config.leadershipLossRate())) {
            sim.leadershipTakenOver(); // mid-tick: this write, and every later one of this term, is fenced out
        }
        if (fence != term) {
            fencedOut++;
            throw new FencedOut("this replica's term " + fence + " has ended; the current term is " + term);
        }
    }

    private void wrote(long fence, Upgrade before, Upgrade after) {
        writes++;
        if (fence < highestFenceWritten) {
            sim.invariants.violation(8, "a write with term " + fence + " after term " + highestFenceWritten + " wrote");
        }
        highestFenceWritten = Math.max(highestFenceWritten, fence);
        if (before == null || before.state != after.state) {
            entered.merge(after.state, 1L, Long::sum);
        }
        sim.invariants.stored(before, after);
    }

    private void index(Upgrade before, Upgrade after) {
        if (before != null && before.state.running()) {
            running.remove(before.id);
            runningPerReef.merge(before.reef, -1, Integer::sum);
            runningByInstance.remove(before.instanceId);
        }
        if (before != null && before.state != UpgradeState.CANCELLED) {
            liveByInstanceAndRelease.remove(before.instanceId + "|" + before.releaseVersion);
        }
        if (after.state.running()) {
            running.put(after.id, after);
            runningPerReef.merge(after.reef, 1, Integer::sum);
            runningByInstance.put(after.instanceId, after.id);
        }
        if (after.state != UpgradeState.CANCELLED) {
            liveByInstanceAndRelease.put(after.instanceId + "|" + after.releaseVersion, after.id);
        }
    }

    // --- what the simulation and the invariants read ---------------------------------------------------------------

    /** Delivers the outbox rows that are due; returns the cords andon-service received. */
    List<OutgoingEvent> deliverDue(Instant now) {
        List<OutgoingEvent> cords = new ArrayList<>();
        undelivered.removeIf(row -> {
            if (row.deliverAt.isAfter(now)) {
                return false;
            }
            row.delivered = true;
            if (UpgradeEvents.ANDON.equals(row.event.destination())) {
                cords.add(row.event);
            }
            return true;
        });
        return cords;
    }

    Map<String, Integer> runningPerReef() {
        return runningPerReef;
    }

    /** The running upgrade of an instance, if any (the stored object: do not change it). */
    Upgrade runningOf(String instanceId) {
        Long id = runningByInstance.get(instanceId);
        return id == null ? null : all.get(id);
    }

    /** Upgrades of a release (the stored objects: do not change them). */
    List<Upgrade> ofRelease(String releaseVersion) {
        List<Upgrade> upgrades = new ArrayList<>();
        for (long id : byRelease.getOrDefault(releaseVersion, List.of())) {
            upgrades.add(all.get(id));
        }
        return upgrades;
    }

    Iterable<Upgrade> all() {
        return all.values();
    }

    int size() {
        return all.size();
    }

    boolean delivered(UUID eventId) {
        OutboxRow row = outbox.get(eventId);
        return row != null && row.delivered;
    }

    int outboxSize() {
        return outbox.size();
    }

    long entered(UpgradeState state) {
        return entered.getOrDefault(state, 0L);
    }
}
