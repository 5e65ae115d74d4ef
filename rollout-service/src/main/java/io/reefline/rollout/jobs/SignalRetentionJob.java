package io.reefline.rollout.jobs;

import io.quarkus.scheduler.Scheduled;
import io.reefline.rollout.analysis.SignalStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Deletes signal windows older than {@code reefline.analysis.signal-retention} (default 7 days), every hour: analysis
 * reads only recent windows, and a fleet of thousands of instances reports millions of them a week.
 */
@ApplicationScoped
public class SignalRetentionJob {

    private static final Logger LOG = Logger.getLogger(SignalRetentionJob.class);

    private final SignalStore signals;
    private final Clock clock;
    private final Duration retention;

    SignalRetentionJob(
            SignalStore signals,
            Clock clock,
            @ConfigProperty(name = "reefline.analysis.signal-retention", defaultValue = "P7D") Duration retention) {
        this.signals = signals;
        this.clock = clock;
        this.retention = retention;
    }

    @Scheduled(
            identity = "signal-retention",
            every = "${reefline.analysis.retention-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteOld() {
        int deleted = signals.deleteOlderThan(clock.instant().minus(retention));
        if (deleted > 0) {
            LOG.infof("Deleted %d signal windows older than %s", deleted, retention);
        }
    }
}
