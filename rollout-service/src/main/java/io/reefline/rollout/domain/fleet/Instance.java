package io.reefline.rollout.domain.fleet;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.util.Objects;

/**
 * One single-tenant customer instance, as discovered in a reef.
 *
 * @param active whether the customer uses it; only active instances are canary candidates
 * @param optedOut the customer asked not to be upgraded automatically; the planner leaves it alone
 * @param channel the one release channel it belongs to ({@code reefline.io/channel}, default {@link Channel#DEFAULT}):
 *     only releases of this channel upgrade it
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
        Version currentVersion,
        String channel) {

    public Instance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(reef, "reef");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(pinnedRing, "pinnedRing");
        Objects.requireNonNull(currentVersion, "currentVersion");
        Objects.requireNonNull(channel, "channel");
    }

    /** An instance of the default channel ({@link Channel#DEFAULT}). */
    public Instance(
            String id,
            String reef,
            String region,
            String tenant,
            MaintenanceWindow window,
            boolean active,
            PinnedRing pinnedRing,
            boolean optedOut,
            Version currentVersion) {
        this(id, reef, region, tenant, window, active, pinnedRing, optedOut, currentVersion, Channel.DEFAULT);
    }

    /** The same instance in another channel. */
    public Instance inChannel(String channel) {
        return new Instance(id, reef, region, tenant, window, active, pinnedRing, optedOut, currentVersion, channel);
    }

    public boolean isPinned() {
        return pinnedRing != PinnedRing.NONE;
    }
}
