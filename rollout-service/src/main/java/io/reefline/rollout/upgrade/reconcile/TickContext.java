package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.domain.upgrade.StartRules;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One tick: built fresh, holding what the tick read once (releases, instances, freezes, gate answers), the leadership
 * term its writes are fenced with, and what it did. Shared by the reef workers of the tick, so it is thread-safe.
 */
public final class TickContext {

    final Instant now;
    final long fence;
    final UpgradeStore store;
    final Cluster cluster;
    final Gate gateClient;
    final HealthProbe health;
    final Fleet fleet;
    final ReefBackoff reefs;
    final ReconcileSettings settings;
    final UpgradeEvents events;

    private final Map<String, ActiveRelease> releases = new LinkedHashMap<>();
    /** Read when first needed, and again after an upgrade changed an instance's image. */
    private volatile Map<String, Instance> instances;

    private final List<Freeze> freezes;
    private final Map<String, GateState> gates = new ConcurrentHashMap<>();
    private final List<String> held = Collections.synchronizedList(new ArrayList<>());
    private final List<String> reefErrors = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger started = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger restored = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong analysisNanos = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean fencedOut;

    TickContext(
            Instant now,
            long fence,
            UpgradeStore store,
            Cluster cluster,
            Gate gate,
            HealthProbe health,
            Fleet fleet,
            ReefBackoff reefs,
            ReconcileSettings settings,
            UpgradeEvents events,
            List<ActiveRelease> releases,
            List<Freeze> freezes) {
        this.now = now;
        this.fence = fence;
        this.store = store;
        this.cluster = cluster;
        this.gateClient = gate;
        this.health = health;
        this.fleet = fleet;
        this.reefs = reefs;
        this.settings = settings;
        this.events = events;
        releases.forEach(r -> this.releases.put(r.version(), r));
        this.freezes = List.copyOf(freezes);
    }

    public Instant now() {
        return now;
    }

    List<ActiveRelease> releases() {
        return List.copyOf(releases.values());
    }

    List<Instance> instances() {
        return List.copyOf(instancesById().values());
    }

    private Map<String, Instance> instancesById() {
        Map<String, Instance> known = instances;
        if (known == null) {
            synchronized (this) {
                known = instances;
                if (known == null) {
                    known = new LinkedHashMap<>(); // the fleet's order: plans and starts are deterministic
                    for (Instance instance : fleet.instances()) {
                        known.put(instance.id(), instance);
                    }
                    instances = known;
                }
            }
        }
        return known;
    }

    /** An instance's image changed: tell the inventory, and read the instances again when next needed. */
    void imageChanged(String instanceId, String image) {
        fleet.imageChanged(instanceId, image);
        instances = null;
    }

    List<Freeze> freezes() {
        return freezes;
    }

    /** The release an upgrade moves to, when it is still the newest of its channel. */
    Optional<ActiveRelease> release(String version) {
        return Optional.ofNullable(releases.get(version));
    }

    /** The andon gate for (release, reef, ring), asked once per tick. andon-service names rings in lower case. */
    GateState gate(String version, String reef, String ring) {
        String ringName = ring == null ? null : ring.toLowerCase(Locale.ROOT);
        return gates.computeIfAbsent(
                version + "|" + reef + "|" + ringName, k -> gateClient.ask(version, reef, ringName));
    }

    /** The start rules, asked immediately before a patch of {@code upgrade}'s instance from {@code liveImage}. */
    StartRules.Decision mayPatch(ActiveRelease release, String instanceId, String reef, String ring, String liveImage) {
        Ring policyRing = release.policy().rings().stream()
                .filter(r -> r.name().equals(ring))
                .findFirst()
                .orElse(null);
        return StartRules.mayPatch(new StartRules.Question(
                instancesById().get(instanceId),
                release.release(),
                policyRing,
                liveImage,
                gate(release.version(), reef, ring),
                freezes,
                now,
                release.policy().expectedUpgrade()));
    }

    /** The soak of an upgrade: the service's, with the number of checks its release's policy asks for, if any. */
    Soak soakOf(Upgrade upgrade) {
        Integer passes = release(upgrade.releaseVersion)
                .map(r -> r.policy().soakChecks())
                .orElse(null);
        return passes == null ? settings.soak() : settings.soak().needing(passes);
    }

    private final Map<String, AnalysisStep.Allowance> analysis = new ConcurrentHashMap<>();

    /** What canary analysis allows of a release this tick (everything when it has no say). */
    AnalysisStep.Allowance analysis(String version) {
        return analysis.getOrDefault(version, AnalysisStep.Allowance.ALL);
    }

    void analysis(String version, AnalysisStep.Allowance allowance) {
        analysis.put(version, allowance);
    }

    void hold(String why) {
        synchronized (held) {
            if (!held.contains(why)) {
                held.add(why);
            }
        }
    }

    void reefError(String error) {
        reefErrors.add(error);
    }

    boolean fencedOut() {
        return fencedOut;
    }

    void fencedOut(String why) {
        fencedOut = true;
        reefErrors.add("leadership lost: " + why);
    }

    /**
     * Stores {@code change} applied to a copy of {@code upgrade}, as a compare-and-set; returns the stored result, or
     * empty when someone else moved the upgrade first (then this tick leaves it alone).
     */
    Optional<Upgrade> transition(Upgrade upgrade, Consumer<Upgrade> change, List<OutgoingEvent> events) {
        Upgrade next = upgrade.copy();
        change.accept(next);
        return store.transition(upgrade, next, events, fence);
    }

    /** As above, for changes whose events are computed from the changed upgrade. */
    Optional<Upgrade> transition(
            Upgrade upgrade,
            Consumer<Upgrade> change,
            java.util.function.Function<Upgrade, List<OutgoingEvent>> events) {
        Upgrade next = upgrade.copy();
        change.accept(next);
        return store.transition(upgrade, next, events.apply(next), fence);
    }

    /** A request of this upgrade went through: its own backoff starts over. */
    static void callWentThrough(Upgrade u) {
        u.attempts = 0;
        u.firstErrorAt = null;
        u.nextAttemptAt = null;
    }

    /** A request of this upgrade was refused: count it and wait a growing backoff before the next. */
    void refused(Upgrade u, String error) {
        u.attempts++;
        u.firstErrorAt = u.firstErrorAt == null ? now : u.firstErrorAt;
        u.nextAttemptAt = now.plus(settings.upgradeRetries().after(u.attempts));
        u.lastError = error.length() > 2000 ? error.substring(0, 2000) : error;
    }

    boolean givenUp(Upgrade u) {
        return u.firstErrorAt != null && !now.isBefore(u.firstErrorAt.plus(settings.giveUpAfter()));
    }

    TickReport report() {
        synchronized (held) {
            synchronized (reefErrors) {
                return new TickReport(
                        now,
                        true,
                        started.get(),
                        succeeded.get(),
                        failed.get(),
                        restored.get(),
                        cancelled.get(),
                        List.copyOf(held),
                        List.copyOf(reefErrors),
                        analysisNanos.get());
            }
        }
    }
}
