package io.reefline.rollout.jobs;

import io.quarkus.scheduler.Scheduled;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import jakarta.enterprise.context.ApplicationScoped;

/** Ticks the upgrade scheduler every {@code reefline.upgrades.tick}; a tick still running is not started twice. */
@ApplicationScoped
public class UpgradeTickJob {

    private final UpgradeScheduler scheduler;

    UpgradeTickJob(UpgradeScheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Scheduled(
            identity = "upgrade-tick",
            every = "${reefline.upgrades.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        scheduler.tick();
    }
}
