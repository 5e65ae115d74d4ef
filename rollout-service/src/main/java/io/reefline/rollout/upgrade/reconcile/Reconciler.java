package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.plan.PlanRequest;
import io.reefline.rollout.domain.plan.Planner;
import io.reefline.rollout.domain.upgrade.ClusterFault;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.FencedOut;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.PilotCount;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.ReleaseRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The upgrade scheduler's reconcile loop. Each tick, on the leader only, with a fresh {@link TickContext}:
 *
 * <ol>
 *   <li>every running upgrade is taken one step from what its reef says now: PLANNED by {@link PatchStep}, STARTED by
 *       {@link RolloutStep}, VERIFYING by {@link SoakStep}, FAILED by {@link RestoreStep};
 *   <li>for the newest release of every channel, the planner says which upgrades may start now, and {@link StartStep}
 *       starts each one the start rules still allow.
 * </ol>
 *
 * <p>Every state is stored (fenced by the leadership term, as a compare-and-set) before the cluster call it leads to.
 * A refused request (4xx) is that upgrade's problem: it backs off alone and gives up after a bounded time. An unreachable
 * reef, a timeout or a 5xx backs the reef off, and the other reefs go on. A lost term stops the tick at once.
 */
public final class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());

    /** Runs one task per reef and waits for all; a service runs them in parallel, the simulation one after another. */
    @FunctionalInterface
    public interface ReefRunner {
        void runAll(List<Runnable> perReef);
    }

    private final UpgradeStore store;
    private final Cluster cluster;
    private final Gate gate;
    private final HealthProbe health;
    private final Fleet fleet;
    private final Leadership leadership;
    private final ReefBackoff reefs;
    private final ReconcileSettings settings;
    private final ReefRunner runner;
    private final UpgradeEvents events;
    private final CanaryAnalyses analyses;
    private final Planner planner = new Planner();

    public Reconciler(
            UpgradeStore store,
            Cluster cluster,
            Gate gate,
            HealthProbe health,
            Fleet fleet,
            Leadership leadership,
            ReefBackoff reefs,
            ReconcileSettings settings,
            ReefRunner runner) {
        this(store, cluster, gate, health, fleet, leadership, reefs, settings, runner, null);
    }

    /** A loop that also runs the canary analysis of rings whose policy asks for it ({@code analyses} may be null). */
    public Reconciler(
            UpgradeStore store,
            Cluster cluster,
            Gate gate,
            HealthProbe health,
            Fleet fleet,
            Leadership leadership,
            ReefBackoff reefs,
            ReconcileSettings settings,
            ReefRunner runner,
            CanaryAnalyses analyses) {
        this.analyses = analyses;
        this.store = store;
        this.cluster = cluster;
        this.gate = gate;
        this.health = health;
        this.fleet = fleet;
        this.leadership = leadership;
        this.reefs = reefs;
        this.settings = settings;
        this.runner = runner;
        this.events = new UpgradeEvents(settings.cordSeverity(), settings.consoleUrl());
    }

    public TickReport tick(Instant now) {
        OptionalLong term = leadership.acquire();
        if (term.isEmpty()) {
            return TickReport.idle(now);
        }
        TickContext ctx = new TickContext(
                now,
                term.getAsLong(),
                store,
                cluster,
                gate,
                health,
                fleet,
                reefs,
                settings,
                events,
                fleet.newestPerChannel(),
                fleet.freezes());
        try {
            analyse(ctx);
            advanceRunning(ctx);
            if (!ctx.fencedOut()) {
                startWhatMayStart(ctx);
            }
        } catch (FencedOut e) {
            ctx.fencedOut(e.getMessage());
        }
        if (ctx.fencedOut()) {
            leadership.lost();
        }
        return ctx.report();
    }

    // --- canary analysis ----------------------------------------------------------------------------------------

    /**
     * Takes the verdicts due this tick, before anything moves, so every patch of this tick (a new start or a planned
     * one resumed) is checked against them. When analysis cannot be done (the database does not answer), nothing of
     * the release starts this tick: fail safe.
     */
    private void analyse(TickContext ctx) {
        if (analyses == null) {
            return;
        }
        long began = System.nanoTime();
        for (ActiveRelease release : ctx.releases()) {
            AnalysisStep.Allowance allowance;
            try {
                allowance = AnalysisStep.apply(ctx, analyses, release);
            } catch (FencedOut e) {
                throw e;
            } catch (RuntimeException e) {
                allowance = AnalysisStep.Allowance.NONE;
                ctx.hold(release.version() + ": canary analysis could not be done ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "); nothing of it starts until it can");
                LOG.log(Level.WARNING, "Canary analysis of " + release.version() + " failed; retried next tick", e);
            }
            ctx.analysis(release.version(), allowance);
        }
        ctx.analysisNanos.addAndGet(System.nanoTime() - began);
    }

    // --- running upgrades ----------------------------------------------------------------------------------------

    private void advanceRunning(TickContext ctx) {
        Map<String, List<Upgrade>> byReef = new LinkedHashMap<>();
        for (Upgrade upgrade : store.running()) {
            byReef.computeIfAbsent(upgrade.reef, r -> new ArrayList<>()).add(upgrade);
        }
        List<Runnable> perReef = new ArrayList<>();
        byReef.forEach((reef, upgrades) -> {
            if (!reefs.configured(reef)) {
                ctx.reefError(
                        reef + ": not configured; its " + upgrades.size() + " running upgrade(s) wait until it is");
                return;
            }
            if (reefs.waiting(reef, ctx.now)) {
                return;
            }
            perReef.add(() -> {
                for (Upgrade upgrade : upgrades) {
                    if (ctx.fencedOut() || !upgrade.mayCallAt(ctx.now)) {
                        continue;
                    }
                    if (!onReef(ctx, reef, upgrade, u -> step(ctx, u))) {
                        break; // the reef failed: the rest of its upgrades wait for its backoff
                    }
                }
            });
        });
        runner.runAll(perReef);
    }

    private static void step(TickContext ctx, Upgrade upgrade) {
        switch (upgrade.state) {
            case PLANNED -> PatchStep.apply(ctx, upgrade);
            case STARTED -> RolloutStep.apply(ctx, upgrade);
            case VERIFYING -> SoakStep.apply(ctx, upgrade);
            case FAILED -> RestoreStep.apply(ctx, upgrade);
            default -> throw new IllegalStateException("not running: " + upgrade);
        }
    }

    // --- new starts ----------------------------------------------------------------------------------------------

    private void startWhatMayStart(TickContext ctx) {
        List<ActiveRelease> drive = ctx.releases();
        if (drive.isEmpty()) {
            return;
        }
        for (ActiveRelease release : drive) {
            if (ctx.fencedOut()) {
                return;
            }
            List<Instance> instances = ctx.instances();
            String version = release.version();
            if (store.cordPending(version)) {
                ctx.hold(version + ": an upgrade failed and its cord has not reached andon-service yet");
                continue;
            }
            AnalysisStep.Allowance analysis = ctx.analysis(version);
            if (analysis.stopped()) {
                continue;
            }
            int pilotLimit = pilotAllowance(version, ctx);
            ReleaseRecords records = store.records(version);
            // The gate is asked per (reef, ring) just before each start, so a cord on one reef stops that reef only.
            List<InstancePlan> startable = planner.plan(
                            PlanRequest.builder(instances, release.policy(), release.release(), release.assignment())
                                    .releaseTime(release.releaseTime())
                                    .freezes(ctx.freezes())
                                    .gate(GateState.OPEN)
                                    .inFlight(records.inFlight())
                                    .completedAt(records.completedAt())
                                    .failed(records.failed())
                                    .at(ctx.now))
                    .startableNow();
            Map<String, List<InstancePlan>> byReef = new LinkedHashMap<>();
            for (InstancePlan next : startable) {
                if (!analysis.allows(release.policy().indexOf(next.ring()))) {
                    continue; // a ring before it has not passed its canary analysis yet
                }
                if (!reefs.configured(next.reef()) || reefs.waiting(next.reef(), ctx.now)) {
                    continue;
                }
                byReef.computeIfAbsent(next.reef(), r -> new ArrayList<>()).add(next);
            }
            if (pilotLimit < Integer.MAX_VALUE) {
                startPilot(ctx, release, byReef, pilotLimit);
                continue;
            }
            List<Runnable> perReef = new ArrayList<>();
            byReef.forEach((reef, starts) -> perReef.add(() -> {
                for (InstancePlan next : starts) {
                    if (ctx.fencedOut() || !onReef(ctx, reef, null, u -> StartStep.apply(ctx, release, next))) {
                        break;
                    }
                }
            }));
            runner.runAll(perReef);
        }
    }

    /** Starts at most {@code limit} upgrades of a release no instance has succeeded on yet, one after another. */
    private void startPilot(TickContext ctx, ActiveRelease release, Map<String, List<InstancePlan>> byReef, int limit) {
        int startedHere = 0;
        for (Map.Entry<String, List<InstancePlan>> reef : byReef.entrySet()) {
            for (InstancePlan next : reef.getValue()) {
                if (startedHere >= limit) {
                    ctx.hold(release.version() + ": its first upgrade runs alone until it succeeds");
                    return;
                }
                int before = ctx.started.get();
                if (!onReef(ctx, reef.getKey(), null, u -> StartStep.apply(ctx, release, next))) {
                    break;
                }
                startedHere += ctx.started.get() - before;
            }
        }
    }

    /**
     * With the pilot rule, a release's first upgrade runs alone: until one instance succeeded on it, at most one upgrade
     * of it runs, so a broken build fails on one instance, not on a ring's worth at once. A pilot stranded in a reef
     * that cannot be reached (backing off, or no longer configured) does not count: it cannot finish until its reef is
     * back, and one reef down must not hold the release in every other reef. One new pilot may then start in a reef
     * that answers; the stranded one resumes when its reef does.
     */
    private int pilotAllowance(String version, TickContext ctx) {
        if (!settings.pilot()) {
            return Integer.MAX_VALUE;
        }
        PilotCount count = store.pilot(version);
        if (count.succeeded() > 0) {
            return Integer.MAX_VALUE;
        }
        long running = count.runningIn().stream()
                .filter(reef -> reefs.configured(reef) && !reefs.waiting(reef, ctx.now))
                .count();
        return running > 0 ? 0 : 1;
    }

    /**
     * Runs one step against a reef. A refusal of the upgrade's own request (4xx) is that upgrade's: it backs off alone
     * and the reef goes on. A reef fault backs the reef off and ends its work in this tick. Anything else (a database
     * conflict, a bug) is reported and retried next tick from the stored state. Returns whether the reef may go on.
     */
    private boolean onReef(TickContext ctx, String reef, Upgrade upgrade, Consumer<Upgrade> work) {
        try {
            work.accept(upgrade);
            reefs.succeeded(reef);
            return true;
        } catch (ClusterException e) {
            if (e.fault() == ClusterFault.UPGRADE && upgrade != null) {
                Transitions.refused(ctx, upgrade, e);
                reefs.succeeded(reef);
                return true;
            }
            if (e.fault() == ClusterFault.UPGRADE) {
                ctx.reefError(reef + ": a start was refused: HTTP " + e.status() + " " + e.getMessage());
                return true;
            }
            String error = "HTTP " + (e.status() <= 0 ? "no answer" : e.status()) + ": " + e.getMessage();
            reefs.failed(reef, error, ctx.now);
            ctx.reefError(reef + ": " + error);
            LOG.warning("Reef " + reef + ": " + error);
            return false;
        } catch (FencedOut e) {
            ctx.fencedOut(e.getMessage());
            return false;
        } catch (RuntimeException e) {
            ctx.reefError(reef + ": " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (not a Kubernetes fault; retried next tick)");
            LOG.log(Level.SEVERE, "Upgrade work in reef " + reef + " failed; retried on the next tick", e);
            return false;
        }
    }
}
