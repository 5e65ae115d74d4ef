package io.reefline.rollout.jobs;

import io.quarkus.scheduler.Scheduled;
import io.reefline.rollout.kubernetes.Reefs;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Asks every reef whether its Kubernetes API answers, every {@code reefline.kubernetes.probe-interval}, so the health
 * details, the metrics, the API and the page know which reefs are reachable without anyone waiting on a reef. A reef
 * that answers again after an outage is tried by the upgrade scheduler on its next tick.
 */
@ApplicationScoped
public class ReefProbeJob {

    private final Reefs reefs;

    ReefProbeJob(Reefs reefs) {
        this.reefs = reefs;
    }

    @Scheduled(
            identity = "reef-probe",
            every = "${reefline.kubernetes.probe-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void probe() {
        reefs.probed();
    }
}
