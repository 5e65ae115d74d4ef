package io.reefline.rollout.kubernetes;

import io.reefline.rollout.domain.fleet.PinnedRing;
import java.util.List;

/**
 * An instance Deployment as read from a reef, before any operator override. Fields that could not be read are null and
 * {@link #errors()} says why; such an instance is still kept and listed, so nobody loses sight of it.
 *
 * @param pin the {@code reefline.io/ring} annotation; {@link PinnedRing#NONE} when absent, null when malformed
 * @param channel the {@code reefline.io/channel} annotation; {@code stable} when absent, as written (at most 100
 *     characters) when malformed
 * @param currentVersion the tag of the configured container's image, when it is a version
 */
public record DiscoveredInstance(
        String id,
        String reef,
        String region,
        String tenant,
        String window,
        boolean active,
        PinnedRing pin,
        String channel,
        String image,
        String currentVersion,
        List<String> errors) {

    public DiscoveredInstance {
        errors = List.copyOf(errors);
    }

    public boolean valid() {
        return errors.isEmpty();
    }
}
