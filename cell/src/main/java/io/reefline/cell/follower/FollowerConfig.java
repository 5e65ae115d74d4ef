package io.reefline.cell.follower;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The flag follower's settings ({@code reefline.cell.follower.*}); the primary is {@code reefline.services.flag}. */
@ConfigMapping(prefix = "reefline.cell.follower")
public interface FollowerConfig {

    /** How often the primary is asked whether the snapshot changed (a 304 when it did not). */
    @WithDefault("250ms")
    Duration pollInterval();

    /** The longest wait between tries while the primary cannot be reached (doubling from the poll interval). */
    @WithDefault("5s")
    Duration maxBackoff();

    /** How long one request to the primary may take. */
    @WithDefault("5s")
    Duration timeout();

    /** The name OFREP's configuration endpoint announces. */
    @WithDefault("Reefline cell")
    String name();
}
