package io.reefline.rollout.upgrade;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.service.FreezeService;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.service.ReleaseService;
import io.reefline.rollout.upgrade.reconcile.Fleet;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The registered releases, the inventory and the freezes, as the reconcile loop reads them. */
@ApplicationScoped
public class ServiceFleet implements Fleet {

    private final ReleaseService releases;
    private final InventoryService inventory;
    private final FreezeService freezes;

    ServiceFleet(ReleaseService releases, InventoryService inventory, FreezeService freezes) {
        this.releases = releases;
        this.inventory = inventory;
        this.freezes = freezes;
    }

    @Override
    public List<ActiveRelease> newestPerChannel() {
        return releases.newestPerChannel().stream()
                .map(r -> new ActiveRelease(r.release(), r.policy(), r.assignment(), r.entity().registeredAt))
                .toList();
    }

    @Override
    public List<Instance> instances() {
        return inventory.fleet();
    }

    @Override
    public List<Freeze> freezes() {
        return freezes.freezes();
    }

    @Override
    public void imageChanged(String instanceId, String image) {
        inventory.imageChanged(instanceId, image);
    }
}
