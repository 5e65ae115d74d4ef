package io.reefline.rollout.service;

import io.reefline.rollout.domain.plan.InFlightUpgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.UpgradeEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the stored upgrades tell the planner about one release: what runs, what finished when, what failed. */
@ApplicationScoped
public class UpgradeRecords {

    /**
     * @param inFlight every running upgrade of any release: they all hold in-flight slots of their reefs
     * @param completedAt when instances finished upgrading to this release
     * @param failed instances whose upgrade to this release failed: not tried again for it
     */
    public record Snapshot(List<InFlightUpgrade> inFlight, Map<String, Instant> completedAt, Set<String> failed) {

        public static final Snapshot EMPTY = new Snapshot(List.of(), Map.of(), Set.of());
    }

    @Transactional
    public Snapshot of(String releaseVersion) {
        List<InFlightUpgrade> inFlight = UpgradeEntity.running().stream()
                .map(u -> new InFlightUpgrade(u.instanceId, u.reef, u.startedAt == null ? u.plannedAt : u.startedAt))
                .toList();
        Map<String, Instant> completedAt = new HashMap<>();
        Set<String> failed = new HashSet<>();
        for (UpgradeEntity upgrade : UpgradeEntity.ofRelease(releaseVersion)) {
            if (upgrade.state == UpgradeState.SUCCEEDED) {
                completedAt.put(upgrade.instanceId, upgrade.finishedAt);
            } else if (upgrade.state.failed()) {
                failed.add(upgrade.instanceId);
            }
        }
        return new Snapshot(inFlight, completedAt, failed);
    }
}
