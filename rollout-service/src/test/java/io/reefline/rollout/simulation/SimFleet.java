package io.reefline.rollout.simulation;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.ImageReference;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.upgrade.reconcile.Fleet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inventory (instances with the version the watch last saw), the registered releases and the freezes, as the
 * database keeps them. The inventory learns versions from {@link #imageChanged} and from a per-reef watch that may drop
 * for a while (then that reef's versions go stale).
 */
final class SimFleet implements Fleet {

    private final FleetSimulation sim;
    private final LinkedHashMap<String, Instance> inventory = new LinkedHashMap<>();
    private final List<ActiveRelease> releases = new ArrayList<>();
    private final List<Freeze> freezes = new ArrayList<>();
    private final Map<String, Instant> watchDownUntil = new HashMap<>();
    private final Map<String, String> seenImage = new HashMap<>();
    private List<Instance> snapshot;

    SimFleet(FleetSimulation sim) {
        this.sim = sim;
    }

    void add(Instance instance) {
        inventory.put(instance.id(), instance);
        snapshot = null;
    }

    Instance instance(String id) {
        return inventory.get(id);
    }

    void register(ActiveRelease release) {
        releases.add(release);
    }

    List<ActiveRelease> allReleases() {
        return releases;
    }

    Optional<ActiveRelease> release(String version) {
        Version v = Version.parse(version);
        return releases.stream().filter(r -> r.release().version().equals(v)).findFirst();
    }

    void addFreeze(Freeze freeze) {
        freezes.add(freeze);
    }

    void clearFreezes() {
        freezes.clear();
    }

    @Override
    public List<ActiveRelease> newestPerChannel() {
        Map<String, ActiveRelease> newest = new LinkedHashMap<>();
        for (ActiveRelease r : releases) {
            newest.merge(
                    r.release().channel(),
                    r,
                    (a, b) -> a.release().version().compareTo(b.release().version()) >= 0 ? a : b);
        }
        return List.copyOf(newest.values());
    }

    @Override
    public List<Instance> instances() {
        if (snapshot == null) {
            snapshot = List.copyOf(inventory.values());
        }
        return snapshot;
    }

    @Override
    public List<Freeze> freezes() {
        return List.copyOf(freezes);
    }

    @Override
    public void imageChanged(String instanceId, String image) {
        sim.chaos.maybeCrash("before the inventory stored the image of " + instanceId);
        see(instanceId, image);
    }

    /** The inventory watch of every reef, once per tick; a dropped watch leaves its reef's versions stale a while. */
    void watch(Instant now, Iterable<SimCluster.Deployment> deployments) {
        for (String reef : sim.reefs) {
            if (sim.chaos.roll("inventory-watch-drop", sim.config.inventoryWatchDropRate())) {
                watchDownUntil.put(reef, now.plusSeconds(60L * sim.chaos.between(5, 120)));
            }
        }
        for (SimCluster.Deployment d : deployments) {
            Instant down = watchDownUntil.get(d.reef);
            if (down == null || !now.isBefore(down) || sim.chaos.calm()) {
                see(d.instanceId, d.image);
            }
        }
    }

    private void see(String instanceId, String image) {
        if (image.equals(seenImage.put(instanceId, image))) {
            return;
        }
        Instance known = inventory.get(instanceId);
        Optional<Version> version = ImageReference.parse(image).tagVersion();
        if (known == null || version.isEmpty() || known.currentVersion().equals(version.get())) {
            return;
        }
        inventory.put(
                instanceId,
                new Instance(
                        known.id(),
                        known.reef(),
                        known.region(),
                        known.tenant(),
                        known.window(),
                        known.active(),
                        known.pinnedRing(),
                        known.optedOut(),
                        version.get(),
                        known.channel()));
        snapshot = null;
    }
}
