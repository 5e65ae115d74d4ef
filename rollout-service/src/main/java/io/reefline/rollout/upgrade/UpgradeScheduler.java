package io.reefline.rollout.upgrade;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.client.AndonGate;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.plan.Plan;
import io.reefline.rollout.domain.upgrade.UpgradeRules;
import io.reefline.rollout.domain.upgrade.UpgradeRules.CheckVerdict;
import io.reefline.rollout.domain.upgrade.UpgradeRules.Verdict;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.kubernetes.InstanceDeployments;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.service.FreezeService;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.service.ReleaseService;
import io.reefline.rollout.service.ReleaseService.RegisteredRelease;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Moves releases to customers. Each tick, on the one replica holding the upgrade lock:
 *
 * <ol>
 *   <li>every running upgrade is taken one step further from what its reef says now: a planned one is patched (or
 *       cancelled when the gate closed before the patch went out), a started one is checked for availability on the
 *       new image, a verifying one is health-checked through its soak, a failed one is restored;
 *   <li>for the newest release of every channel, the planner says which upgrades may start now; each is started after
 *       the andon gate allows its (release, reef, ring).
 * </ol>
 *
 * <p>Every state is stored before the call to the cluster it leads to, so a crash between the two is found and
 * finished by the next tick of whichever replica then holds the lock. A reef whose API fails waits out a growing
 * backoff; the other reefs go on.
 */
@ApplicationScoped
public class UpgradeScheduler {

    private static final Logger LOG = Logger.getLogger(UpgradeScheduler.class);

    /** What one tick did, for the API, the page and tests. */
    public record TickReport(
            Instant at,
            boolean leader,
            int started,
            int succeeded,
            int failed,
            int restored,
            int cancelled,
            List<String> held,
            List<String> reefErrors) {}

    private final UpgradeLeadership leadership;
    private final ReleaseService releases;
    private final InventoryService inventory;
    private final FreezeService freezes;
    private final AndonGate gate;
    private final Reefs reefs;
    private final InstanceDeployments deployments;
    private final HealthCheck health;
    private final UpgradeEvents events;
    private final UpgradeSettings settings;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer tickTime;
    private final ExecutorService reefWorkers;
    private volatile TickReport lastTick;

    UpgradeScheduler(
            UpgradeLeadership leadership,
            ReleaseService releases,
            InventoryService inventory,
            FreezeService freezes,
            AndonGate gate,
            Reefs reefs,
            InstanceDeployments deployments,
            HealthCheck health,
            UpgradeEvents events,
            UpgradeSettings settings,
            Clock clock,
            MeterRegistry meters) {
        this.leadership = leadership;
        this.releases = releases;
        this.inventory = inventory;
        this.freezes = freezes;
        this.gate = gate;
        this.reefs = reefs;
        this.deployments = deployments;
        this.health = health;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        AtomicInteger workers = new AtomicInteger();
        this.reefWorkers = Executors.newFixedThreadPool(settings.parallelReefs(), task -> {
            Thread thread = new Thread(task, "upgrade-reef-" + workers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.tickTime = Timer.builder("reefline.upgrades.tick")
                .description("Time of one upgrade scheduler tick on the acting replica")
                .register(meters);
        Gauge.builder("reefline.upgrades.leader", leadership, l -> l.holds() ? 1 : 0)
                .description("1 while this replica runs the upgrade scheduler")
                .strongReference(true)
                .register(meters);
    }

    public Optional<TickReport> lastTick() {
        return Optional.ofNullable(lastTick);
    }

    public boolean leader() {
        return leadership.holds();
    }

    /** One pass; see the class comment. Serialised: the scheduled job and a test never tick at the same time. */
    public synchronized TickReport tick() {
        Instant now = clock.instant();
        if (!leadership.acquire()) {
            TickReport idle = new TickReport(now, false, 0, 0, 0, 0, 0, List.of(), List.of());
            lastTick = idle;
            return idle;
        }
        Tick tick = new Tick(now);
        long began = System.nanoTime();
        tick.advanceRunning();
        tick.startWhatMayStart();
        tickTime.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        TickReport report = tick.report();
        count("started", report.started());
        count("succeeded", report.succeeded());
        count("failed", report.failed());
        count("restored", report.restored());
        count("cancelled", report.cancelled());
        if (report.started() + report.succeeded() + report.failed() + report.restored() + report.cancelled() > 0
                || !report.reefErrors().isEmpty()) {
            LOG.infof(
                    "Upgrade tick: %d started, %d succeeded, %d failed, %d restored, %d cancelled%s%s",
                    report.started(),
                    report.succeeded(),
                    report.failed(),
                    report.restored(),
                    report.cancelled(),
                    report.held().isEmpty() ? "" : "; held: " + report.held(),
                    report.reefErrors().isEmpty() ? "" : "; reef errors: " + report.reefErrors());
        }
        lastTick = report;
        return report;
    }

    /**
     * Runs one task per reef on the reef workers and waits for all: a slow or timing-out reef does not hold up the
     * others. Each task catches its own reef's failures.
     */
    private void inParallel(List<Runnable> perReef) {
        if (perReef.size() <= 1) {
            perReef.forEach(Runnable::run);
            return;
        }
        List<Future<?>> running = new ArrayList<>();
        perReef.forEach(task -> running.add(reefWorkers.submit(task)));
        for (Future<?> task : running) {
            try {
                task.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                LOG.errorf(e.getCause(), "A reef's upgrade work failed unexpectedly");
            }
        }
    }

    @PreDestroy
    void stopWorkers() {
        reefWorkers.shutdownNow();
    }

    private void count(String outcome, int n) {
        if (n > 0) {
            meters.counter("reefline.upgrades", "outcome", outcome).increment(n);
        }
    }

    /** The state of one tick: gate answers are asked once per (release, reef, ring) and reused. */
    private final class Tick {
        private final Instant now;
        private final Map<String, GateState> gates = new ConcurrentHashMap<>();
        private final List<String> held = Collections.synchronizedList(new ArrayList<>());
        private final List<String> reefErrors = Collections.synchronizedList(new ArrayList<>());
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger succeeded = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger restored = new AtomicInteger();
        private final AtomicInteger cancelled = new AtomicInteger();

        Tick(Instant now) {
            this.now = now;
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
                            List.copyOf(reefErrors));
                }
            }
        }

        // --- running upgrades ----------------------------------------------------------------------------------

        void advanceRunning() {
            List<UpgradeEntity> running = QuarkusTransaction.requiringNew().call(UpgradeEntity::running);
            Map<String, List<UpgradeEntity>> byReef = new LinkedHashMap<>();
            running.forEach(
                    u -> byReef.computeIfAbsent(u.reef, r -> new ArrayList<>()).add(u));
            List<Runnable> perReef = new ArrayList<>();
            for (Map.Entry<String, List<UpgradeEntity>> entry : byReef.entrySet()) {
                Optional<Reef> reef = reefs.named(entry.getKey());
                if (reef.isEmpty()) {
                    reefErrors.add(entry.getKey() + ": not configured; its "
                            + entry.getValue().size() + " running upgrade(s) wait until it is");
                    continue;
                }
                if (reef.get().upgradeCalls().waiting(now)) {
                    continue;
                }
                perReef.add(() -> {
                    for (UpgradeEntity upgrade : entry.getValue()) {
                        if (!onReef(reef.get(), () -> advance(reef.get(), upgrade))) {
                            break; // the reef failed: the rest of its upgrades wait for its backoff
                        }
                    }
                });
            }
            inParallel(perReef);
        }

        private void advance(Reef reef, UpgradeEntity upgrade) {
            Optional<Deployment> deployment = deployments.find(reef, upgrade.instanceId);
            switch (upgrade.state) {
                case PLANNED -> patch(reef, upgrade, deployment);
                case STARTED -> watch(upgrade, deployment);
                case VERIFYING -> verify(upgrade, deployment);
                case FAILED -> restore(reef, upgrade, deployment);
                default -> throw new IllegalStateException("not running: " + upgrade.state);
            }
        }

        /** PLANNED: send the patch, unless it already went out before a crash, or the gate closed meanwhile. */
        private void patch(Reef reef, UpgradeEntity upgrade, Optional<Deployment> deployment) {
            if (deployment.isEmpty()) {
                cancel(upgrade, "the instance's Deployment is gone");
                return;
            }
            String image = deployments.image(deployment.get());
            if (upgrade.targetImage.equals(image)) {
                // The patch went out before the service stopped; only the record of it is missing.
                update(upgrade, u -> {
                    u.state = UpgradeState.STARTED;
                    u.startedAt = now;
                });
                started.incrementAndGet();
                return;
            }
            if (!upgrade.previousImage.equals(image)) {
                cancel(upgrade, "the Deployment's image changed to " + image + " before the upgrade started");
                return;
            }
            GateState allowed = gate(upgrade.releaseVersion, upgrade.reef, upgrade.ring);
            if (!allowed.open()) {
                cancel(upgrade, "not started, andon gate closed: " + allowed.reason());
                return;
            }
            if (!now.isBefore(upgrade.plannedAt.plus(settings.startTimeout()))) {
                cancel(upgrade, "could not be started within " + settings.startTimeout() + ": " + upgrade.lastError);
                return;
            }
            deployments.changeImage(reef, deployment.get(), upgrade.previousImage, upgrade.targetImage);
            update(upgrade, u -> {
                u.state = UpgradeState.STARTED;
                u.startedAt = now;
                u.reason = "patched to " + u.targetImage;
            });
            started.incrementAndGet();
        }

        /** STARTED: wait for the Deployment to be available on the new image, within the rollout timeout. */
        private void watch(UpgradeEntity upgrade, Optional<Deployment> deployment) {
            if (deployment.isEmpty()) {
                cancel(upgrade, "the instance's Deployment was deleted during the upgrade");
                return;
            }
            Verdict verdict = UpgradeRules.rollout(
                    deployments.observe(deployment.get()),
                    upgrade.targetImage,
                    upgrade.startedAt,
                    now,
                    settings.rolloutTimeout());
            if (verdict instanceof Verdict.Available) {
                update(upgrade, u -> {
                    u.state = UpgradeState.VERIFYING;
                    u.availableAt = now;
                    u.reason = "available on " + u.targetImage + "; checking for " + settings.soak();
                });
                verify(reload(upgrade), deployment);
            } else if (verdict instanceof Verdict.Wait wait) {
                update(upgrade, u -> u.reason = "rolling out: " + wait.why());
            } else if (verdict instanceof Verdict.Fail fail) {
                fail(upgrade, fail.reason(), deployment);
            } else if (verdict instanceof Verdict.Overtaken overtaken) {
                cancel(upgrade, overtaken.reason());
            }
        }

        /** VERIFYING: the Deployment stays available and the health check passes, for the whole soak. */
        private void verify(UpgradeEntity upgrade, Optional<Deployment> deployment) {
            boolean passed;
            String detail;
            if (deployment.isEmpty()) {
                passed = false;
                detail = "the instance's Deployment is gone";
            } else {
                Verdict rollout = UpgradeRules.rollout(
                        deployments.observe(deployment.get()),
                        upgrade.targetImage,
                        upgrade.startedAt,
                        now,
                        settings.rolloutTimeout().plus(settings.soak()));
                Optional<String> url = healthUrl(upgrade, deployment.get());
                if (!(rollout instanceof Verdict.Available)) {
                    passed = false;
                    detail = "no longer available on " + upgrade.targetImage;
                } else if (url.isPresent()) {
                    HealthCheck.Result result = health.check(url.get(), upgrade.targetImage);
                    passed = result.passed();
                    detail = result.detail();
                } else {
                    passed = true;
                    detail = "available (no health URL configured)";
                }
            }
            int failures = passed ? 0 : upgrade.checkFailures + 1;
            CheckVerdict verdict = UpgradeRules.afterCheck(
                    passed, failures, settings.checkFailures(), upgrade.availableAt, now, settings.soak());
            switch (verdict) {
                case SUCCEED -> succeed(upgrade, detail);
                case FAIL ->
                    fail(upgrade, "post-upgrade check failed " + failures + " time(s) in a row: " + detail, deployment);
                case KEEP_CHECKING ->
                    update(upgrade, u -> {
                        u.checkFailures = failures;
                        u.checksPassed += passed ? 1 : 0;
                        u.lastCheckAt = now;
                        u.reason = "checking: " + detail;
                    });
            }
        }

        private Optional<String> healthUrl(UpgradeEntity upgrade, Deployment deployment) {
            return deployments
                    .healthUrl(deployment)
                    .or(() -> settings.healthUrl()
                            .map(t ->
                                    t.replace("{instance}", upgrade.instanceId).replace("{reef}", upgrade.reef)));
        }

        private void succeed(UpgradeEntity upgrade, String detail) {
            QuarkusTransaction.requiringNew().run(() -> {
                UpgradeEntity u = UpgradeEntity.findById(upgrade.id);
                u.state = UpgradeState.SUCCEEDED;
                u.finishedAt = now;
                u.lastCheckAt = now;
                u.checksPassed++;
                u.reason = "succeeded: " + detail;
                events.succeeded(u);
            });
            inventory.imageChanged(upgrade.instanceId, upgrade.targetImage);
            succeeded.incrementAndGet();
        }

        /**
         * Records the failure, pulls the cord and reports the failed deployment in one transaction, then restores the
         * previous image (or leaves that to the next tick when the reef does not answer).
         */
        private void fail(UpgradeEntity upgrade, String reason, Optional<Deployment> deployment) {
            QuarkusTransaction.requiringNew().run(() -> {
                UpgradeEntity u = UpgradeEntity.findById(upgrade.id);
                u.state = UpgradeState.FAILED;
                u.failedAt = now;
                u.reason = reason;
                u.cordEventId = events.pullCord(u);
                events.failed(u);
            });
            failed.incrementAndGet();
            LOG.warnf(
                    "Upgrade of %s to %s failed, pulling the cord and restoring %s: %s",
                    upgrade.instanceId, upgrade.releaseVersion, upgrade.previousImage, reason);
            reefs.named(upgrade.reef).ifPresent(reef -> restore(reef, reload(upgrade), deployment));
        }

        /** FAILED: put the previous image back. */
        private void restore(Reef reef, UpgradeEntity upgrade, Optional<Deployment> deployment) {
            if (deployment.isPresent()) {
                String image = deployments.image(deployment.get());
                if (upgrade.targetImage.equals(image)) {
                    deployments.changeImage(reef, deployment.get(), upgrade.targetImage, upgrade.previousImage);
                } else if (!upgrade.previousImage.equals(image)) {
                    LOG.warnf("Not restoring %s: its image is now %s, set by someone else", upgrade.instanceId, image);
                }
            }
            QuarkusTransaction.requiringNew().run(() -> {
                UpgradeEntity u = UpgradeEntity.findById(upgrade.id);
                u.state = UpgradeState.RESTORED;
                u.finishedAt = now;
                events.restored(u);
            });
            if (deployment.isPresent()) {
                inventory.imageChanged(upgrade.instanceId, upgrade.previousImage);
            }
            restored.incrementAndGet();
        }

        private void cancel(UpgradeEntity upgrade, String reason) {
            update(upgrade, u -> {
                u.state = UpgradeState.CANCELLED;
                u.finishedAt = now;
                u.reason = reason;
            });
            cancelled.incrementAndGet();
        }

        // --- new starts ----------------------------------------------------------------------------------------

        void startWhatMayStart() {
            List<RegisteredRelease> drive = releases.newestPerChannel();
            if (drive.isEmpty()) {
                return;
            }
            List<Instance> fleet = inventory.fleet();
            List<Freeze> stored = freezes.freezes();
            for (RegisteredRelease release : drive) {
                String version = release.entity().version;
                Optional<String> undelivered = undeliveredCord(version);
                if (undelivered.isPresent()) {
                    hold(version + ": " + undelivered.get());
                    continue;
                }
                int pilotLimit = pilotAllowance(version);
                // The gate is asked per (reef, ring) just before starting, so a cord on one reef stops that reef only.
                Plan plan = releases.plan(release, fleet, stored, GateState.OPEN, now);
                Map<String, List<InstancePlan>> byReef = new LinkedHashMap<>();
                for (InstancePlan next : plan.startableNow()) {
                    Optional<Reef> reef = reefs.named(next.reef());
                    if (reef.isEmpty() || reef.get().upgradeCalls().waiting(now)) {
                        continue;
                    }
                    GateState allowed = gate(version, next.reef(), next.ring());
                    if (!allowed.open()) {
                        hold(version + " in " + next.reef() + "/" + next.ring() + ": andon gate closed: "
                                + allowed.reason());
                        continue;
                    }
                    byReef.computeIfAbsent(next.reef(), r -> new ArrayList<>()).add(next);
                }
                if (pilotLimit < Integer.MAX_VALUE) {
                    startPilot(release, byReef, pilotLimit);
                    continue;
                }
                List<Runnable> perReef = new ArrayList<>();
                byReef.forEach((name, starts) -> {
                    Reef reef = reefs.named(name).orElseThrow();
                    perReef.add(() -> {
                        for (InstancePlan next : starts) {
                            if (!onReef(reef, () -> start(reef, release, next))) {
                                break;
                            }
                        }
                    });
                });
                inParallel(perReef);
            }
        }

        /** Starts at most {@code limit} upgrades of a release no instance has succeeded on yet, one after another. */
        private void startPilot(RegisteredRelease release, Map<String, List<InstancePlan>> byReef, int limit) {
            String version = release.entity().version;
            int startedHere = 0;
            for (List<InstancePlan> starts : byReef.values()) {
                for (InstancePlan next : starts) {
                    if (startedHere >= limit) {
                        hold(version + ": its first upgrade runs alone until it succeeds");
                        return;
                    }
                    Reef reef = reefs.named(next.reef()).orElseThrow();
                    int before = started.get();
                    if (!onReef(reef, () -> start(reef, release, next))) {
                        break;
                    }
                    startedHere += started.get() - before;
                }
            }
        }

        private void hold(String why) {
            synchronized (held) {
                if (!held.contains(why)) {
                    held.add(why);
                }
            }
        }

        /**
         * With {@code reefline.upgrades.pilot}, a release's first upgrade runs alone: until one instance succeeded on
         * it, at most one upgrade of it runs, so a broken build fails on one instance, not on a ring's worth at once.
         */
        private int pilotAllowance(String version) {
            if (!settings.pilot()) {
                return Integer.MAX_VALUE;
            }
            return QuarkusTransaction.requiringNew().call(() -> {
                if (UpgradeEntity.count("releaseVersion = ?1 and state = ?2", version, UpgradeState.SUCCEEDED) > 0) {
                    return Integer.MAX_VALUE;
                }
                return UpgradeEntity.count("releaseVersion = ?1 and state in ?2", version, UpgradeState.RUNNING) > 0
                        ? 0
                        : 1;
            });
        }

        private void start(Reef reef, RegisteredRelease release, InstancePlan next) {
            Optional<Deployment> deployment = deployments.find(reef, next.instanceId());
            if (deployment.isEmpty()) {
                return; // gone since the inventory saw it; the watch or the next refresh removes it
            }
            String image = deployments.image(deployment.get());
            String target = release.entity().image;
            if (image == null || image.equals(target)) {
                return;
            }
            UpgradeEntity upgrade = new UpgradeEntity();
            upgrade.instanceId = next.instanceId();
            upgrade.reef = next.reef();
            upgrade.releaseVersion = release.entity().version;
            upgrade.ring = next.ring();
            upgrade.targetImage = target;
            upgrade.previousImage = image;
            upgrade.state = UpgradeState.PLANNED;
            upgrade.plannedAt = now;
            upgrade.reason = next.detail();
            try {
                QuarkusTransaction.requiringNew().run(upgrade::persistAndFlush);
            } catch (PersistenceException e) {
                // Already upgraded (or upgrading) for this release: the unique indexes keep anyone from doing it twice.
                LOG.debugf("Not starting %s again: %s", next.instanceId(), e.getMessage());
                return;
            }
            deployments.changeImage(reef, deployment.get(), image, target);
            update(upgrade, u -> {
                u.state = UpgradeState.STARTED;
                u.startedAt = now;
                u.reason = "patched to " + target;
            });
            started.incrementAndGet();
        }

        /** A release holds while a cord pulled for one of its failed upgrades has not reached andon-service yet. */
        private Optional<String> undeliveredCord(String version) {
            return QuarkusTransaction.requiringNew().call(() -> {
                List<UUID> cords =
                        UpgradeEntity.<UpgradeEntity>list("releaseVersion = ?1 and cordEventId is not null", version)
                                .stream()
                                .map(u -> u.cordEventId)
                                .toList();
                boolean pending =
                        !cords.isEmpty() && OutboxMessage.count("id in ?1 and deliveredAt is null", cords) > 0;
                return pending
                        ? Optional.of("an upgrade failed and its cord has not reached andon-service yet")
                        : Optional.<String>empty();
            });
        }

        private GateState gate(String version, String reef, String ring) {
            // andon-service names rings in lower case (allowRings), the policy may not.
            String ringName = ring == null ? null : ring.toLowerCase(java.util.Locale.ROOT);
            return gates.computeIfAbsent(version + "|" + reef + "|" + ringName, k -> gate.ask(version, reef, ringName));
        }

        /**
         * Runs one call sequence against a reef; a failure puts the reef into backoff and is reported, never thrown,
         * so the next reef goes on. Returns whether it succeeded.
         */
        private boolean onReef(Reef reef, Runnable calls) {
            try {
                calls.run();
                reef.upgradeCallSucceeded();
                return true;
            } catch (KubernetesClientException e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                reef.upgradeCallFailed(
                        error,
                        now,
                        failures -> UpgradeRules.backoff(failures, settings.reefBackoff(), settings.reefBackoffMax()));
                reefErrors.add(reef.name() + ": " + error);
                LOG.warnf(
                        "Reef %s: %s (try %d; next attempt at %s)",
                        reef.name(),
                        error,
                        reef.upgradeCalls().failures(),
                        reef.upgradeCalls().retryAt());
                return false;
            } catch (RuntimeException e) {
                // Not the reef's fault (a database conflict, a bug): no backoff; the next tick takes it up again
                // from the stored state.
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                reefErrors.add(reef.name() + ": " + error + " (not a Kubernetes fault; retried next tick)");
                LOG.errorf(e, "Upgrade work in reef %s failed; retried on the next tick", reef.name());
                return false;
            }
        }

        private void update(UpgradeEntity upgrade, Consumer<UpgradeEntity> change) {
            QuarkusTransaction.requiringNew().run(() -> {
                UpgradeEntity stored = UpgradeEntity.findById(upgrade.id);
                change.accept(stored);
            });
        }

        private UpgradeEntity reload(UpgradeEntity upgrade) {
            return QuarkusTransaction.requiringNew().call(() -> UpgradeEntity.findById(upgrade.id));
        }
    }
}
