package io.reefline.andon.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of andon-service itself, under {@code andon.*}. */
@ConfigMapping(prefix = "andon")
public interface AndonConfig {

    Webhooks webhooks();

    /**
     * How long a replica of a reef's cell may go without a heartbeat before the gate holds its reef (a cord pulled
     * there may not have reached the hub).
     */
    @WithDefault("PT1M")
    Duration cellSilence();

    interface Webhooks {
        /** How often the dispatcher looks for due deliveries. */
        @WithDefault("1s")
        String dispatchInterval();

        /** Most deliveries sent per dispatcher pass (in parallel). */
        @WithDefault("20")
        int batchSize();

        /** Connect and response timeout of one delivery; a hanging receiver costs at most this much. */
        @WithDefault("PT5S")
        Duration timeout();

        /** Wait before the first retry of a failed delivery; doubles with each further failure. */
        @WithDefault("PT5S")
        Duration initialBackoff();

        /** Longest wait between two attempts of one delivery. */
        @WithDefault("PT30M")
        Duration maxBackoff();

        /** Attempts after which a delivery is given up and logged as failed. */
        @WithDefault("12")
        int maxAttempts();
    }
}
