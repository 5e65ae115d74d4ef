package io.reefline.sidecar;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Starts the sidecar: one health check per interval until the container stops. */
public final class SidecarMain {

    private SidecarMain() {}

    public static void main(String[] args) {
        SidecarConfig config;
        try {
            config = SidecarConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("instance-sidecar: " + e.getMessage());
            System.exit(2);
            return;
        }
        InstanceWatch watch;
        try {
            watch = create(config, Clock.systemUTC());
        } catch (java.io.UncheckedIOException e) {
            System.err.println("instance-sidecar: " + e.getMessage());
            System.exit(2);
            return;
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sidecar-check");
            thread.setDaemon(false);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(
                () -> {
                    // A failed pass must never end the schedule: the next one tries again.
                    try {
                        watch.check();
                    } catch (RuntimeException e) {
                        Log.warn("Check failed: " + e);
                    }
                },
                0,
                config.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(new Thread(scheduler::shutdownNow, "sidecar-shutdown"));
        Log.info("Watching instance " + config.instanceId() + " at " + config.healthUrl() + " every "
                + config.interval().toSeconds() + " s; signals every "
                + config.signalInterval().toSeconds() + " s to "
                + config.signalsUrl() + InstanceSignals.SIGNALS_PATH
                + config.prometheusUrl().map(u -> ", counters from " + u).orElse(", no counters")
                + config.spoolDir().map(d -> "; reports spooled in " + d).orElse("; reports kept in memory"));
    }

    /**
     * Wires the sidecar; retries start at one interval and back off to five minutes. Reports a previous run left in
     * the spool folder are queued again.
     */
    static InstanceWatch create(SidecarConfig config, Clock clock) {
        ControlPlane http = new ControlPlane(config.timeout(), BearerToken.of(config));
        PendingReports reports = new PendingReports(
                http,
                config.maxQueuedReports(),
                config.interval(),
                Duration.ofMinutes(5),
                config.spoolDir(),
                clock.instant());
        return new InstanceWatch(config, http, reports, clock);
    }
}
