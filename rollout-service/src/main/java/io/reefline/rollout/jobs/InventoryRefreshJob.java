package io.reefline.rollout.jobs;

import io.quarkus.scheduler.Scheduled;
import io.reefline.rollout.service.InventoryService;
import jakarta.enterprise.context.ApplicationScoped;

/** Lists every reef again on a schedule, catching whatever a watch missed (a dropped connection, a reef that was down). */
@ApplicationScoped
public class InventoryRefreshJob {

    private final InventoryService inventory;

    InventoryRefreshJob(InventoryService inventory) {
        this.inventory = inventory;
    }

    @Scheduled(
            identity = "inventory-refresh",
            every = "${reefline.inventory.refresh-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        inventory.refreshAll();
    }
}
