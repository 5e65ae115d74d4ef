package io.reefline.rollout.upgrade;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.reefline.rollout.client.AndonGate;
import io.reefline.rollout.domain.upgrade.Soak;
import io.reefline.rollout.upgrade.reconcile.ReconcileSettings;
import io.reefline.rollout.upgrade.reconcile.Reconciler;
import io.reefline.rollout.upgrade.reconcile.TickReport;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Moves releases to customers: the service's side of the {@link Reconciler}. It wires the reconcile loop to PostgreSQL
 * ({@link JpaUpgradeStore}, {@link UpgradeLeadership}), every reef's Kubernetes API ({@link KubernetesCluster}),
 * andon-service's gate and the instances' health URLs, runs each tick's reefs in parallel, and records metrics.
 */
@ApplicationScoped
public class UpgradeScheduler {

    private static final Logger LOG = Logger.getLogger(UpgradeScheduler.class);

    private final UpgradeLeadership leadership;
    private final Reconciler reconciler;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer tickTime;
    private final Timer analysisTime;
    private final ExecutorService reefWorkers;
    private volatile TickReport lastTick;

    UpgradeScheduler(
            UpgradeLeadership leadership,
            JpaUpgradeStore store,
            KubernetesCluster cluster,
            AndonGate gate,
            HealthCheck health,
            ServiceFleet fleet,
            ServiceReefBackoff reefs,
            UpgradeSettings settings,
            Clock clock,
            MeterRegistry meters,
            JpaCanaryAnalyses analyses) {
        this.leadership = leadership;
        this.clock = clock;
        this.meters = meters;
        AtomicInteger workers = new AtomicInteger();
        this.reefWorkers = Executors.newFixedThreadPool(settings.parallelReefs(), task -> {
            Thread thread = new Thread(task, "upgrade-reef-" + workers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.reconciler = new Reconciler(
                store,
                cluster,
                gate,
                health,
                fleet,
                leadership,
                reefs,
                reconcileSettings(settings),
                this::inParallel,
                analyses);
        this.tickTime = Timer.builder("reefline.upgrades.tick")
                .description("Time of one upgrade scheduler tick on the acting replica")
                .register(meters);
        this.analysisTime = Timer.builder("reefline.upgrades.analysis")
                .description("Time one tick of the acting replica spent in canary analysis (reading windows, judging)")
                .register(meters);
        Gauge.builder("reefline.upgrades.leader", leadership, l -> l.holds() ? 1 : 0)
                .description("1 while this replica runs the upgrade scheduler")
                .strongReference(true)
                .register(meters);
    }

    static ReconcileSettings reconcileSettings(UpgradeSettings settings) {
        return new ReconcileSettings(
                settings.rolloutTimeout(),
                new Soak(settings.soak(), settings.soakChecks(), settings.soakCleanTail(), settings.checkFailures()),
                settings.startTimeout(),
                settings.pilot(),
                settings.upgradeBackoff(),
                settings.upgradeBackoffMax(),
                settings.giveUpAfter(),
                settings.reefBackoff(),
                settings.reefBackoffMax(),
                settings.healthUrl(),
                settings.cordSeverity(),
                settings.consoleUrl());
    }

    public Optional<TickReport> lastTick() {
        return Optional.ofNullable(lastTick);
    }

    public boolean leader() {
        return leadership.holds();
    }

    /** One pass of the reconcile loop. Serialised: the scheduled job and a test never tick at the same time. */
    public synchronized TickReport tick() {
        long began = System.nanoTime();
        TickReport report = reconciler.tick(clock.instant());
        if (report.leader()) {
            tickTime.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
            analysisTime.record(report.analysisNanos(), TimeUnit.NANOSECONDS);
        }
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
}
