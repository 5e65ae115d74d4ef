package io.reefline.rollout.domain.fleet;

import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.util.Objects;

/**
 * One single-tenant customer instance, as discovered in a reef.
 *
 * @param active whether the customer uses it; only active instances are canary candidates
 * @param optedOut the customer asked not to be upgraded automatically; the planner leaves it alone
 */
public record Instance(
        String id,
        String reef,
        String region,
        String tenant,
        MaintenanceWindow window,
        boolean active,
        PinnedRing pinnedRing,
        boolean optedOut,
        Version currentVersion) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reef, "reef");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pinnedRing, "pinnedRing");
        Objects.requireNonNull(currentVersion, "currentVersion");
    }

    public boolean isPinned() {
        return pinnedRing != PinnedRing.NONE;
    }
}
