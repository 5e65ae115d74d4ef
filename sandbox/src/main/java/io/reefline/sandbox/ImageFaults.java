package io.reefline.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How the sandbox's misbehaving builds misbehave.
 *
 * @param degradedErrorRate the share of requests a {@code degraded} build answers with a 5xx, on average
 * @param degradedLatency the mean request latency of a {@code degraded} build
 * @param crashloopEvery how often the container of a {@code crashloop} build restarts, counted from its pod's start
 */
public record ImageFaults(double degradedErrorRate, Duration degradedLatency, Duration crashloopEvery) {

    public static final double DEFAULT_DEGRADED_ERROR_RATE = 0.08;
    public static final Duration DEFAULT_DEGRADED_LATENCY = Duration.ofMillis(400);
    public static final Duration DEFAULT_CRASHLOOP_EVERY = Duration.ofMinutes(2);

    public ImageFaults {
        if (!(degradedErrorRate >= 0 && degradedErrorRate <= 1)) {
            throw new IllegalArgumentException("degradedErrorRate must be between 0 and 1, was " + degradedErrorRate);
        }
        Objects.requireNonNull(degradedLatency, "degradedLatency");
        if (degradedLatency.isNegative() || degradedLatency.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(
                    "degradedLatency must be between 0 and 1 minute, was " + degradedLatency);
        }
        Objects.requireNonNull(crashloopEvery, "crashloopEvery");
        if (crashloopEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("crashloopEvery must be at least 1 second, was " + crashloopEvery);
        }
    }

    /** An 8 % error rate at a 400 ms mean latency; a restart every two minutes. */
    public static ImageFaults defaults() {
        return new ImageFaults(DEFAULT_DEGRADED_ERROR_RATE, DEFAULT_DEGRADED_LATENCY, DEFAULT_CRASHLOOP_EVERY);
    }
}
