package io.reefline.cell.relay;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The relay's settings ({@code reefline.cell.relay.*}); see the cell's application.properties. */
@ConfigMapping(prefix = "reefline.cell.relay")
public interface RelayConfig {

    /** Most messages the spool holds for the hub; a report beyond it is answered 503. */
    @WithDefault("100000")
    int capacity();

    /**
     * Most signal samples the spool holds for the hub's rollout-service, within {@link #capacity()}: beyond it a sample
     * is answered 503 (the sidecar keeps it and retries), so samples can never fill the room cords need.
     */
    @WithDefault("50000")
    int signalsCapacity();

    /** Largest request body the relay's routes read; a larger one is answered 413. */
    @WithDefault("64K")
    MemorySize maxBodySize();

    /** Wait before the first resend after the hub could not take a message; doubles up to {@link #maxBackoff()}. */
    @WithDefault("PT0.25S")
    Duration initialBackoff();

    /** Longest wait between two attempts while the hub is unreachable. */
    @WithDefault("PT10S")
    Duration maxBackoff();

    /** Connect and answer timeout of one delivery to the hub. */
    @WithDefault("PT5S")
    Duration timeout();

    /** How often the cell tells the hub's andon-service it is there and how many cords wait ({@link Heartbeat}). */
    @WithDefault("PT10S")
    Duration heartbeatInterval();
}
