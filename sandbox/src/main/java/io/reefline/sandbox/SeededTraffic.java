package io.reefline.sandbox;

import java.time.Instant;

/**
 * The sandbox's traffic model for callers outside the sandbox (measurements of canary analysis over many seeded
 * releases): what an instance running {@code image} serves over an interval, exactly as its metrics endpoint and its
 * signal samples would say while its pod is up. The same seed, instance, image and interval always give the same numbers.
 */
public final class SeededTraffic {

    /** What was served over the interval; {@code latencyMs} is the mean latency, or 0 without requests. */
    public record Window(long requests, long errors, double latencyMs) {}

    private final TrafficModel model;

    public SeededTraffic(long seed, ImageFaults faults) {
        this.model = new TrafficModel(seed, faults);
    }

    /** {@code image}'s tag decides the build's behaviour ({@code degraded}, {@code broken}, or a good build). */
    public Window served(String instanceId, String image, Instant from, Instant to) {
        TrafficModel.Counts counts =
                model.served(instanceId, ImageBehaviour.of(image), from.toEpochMilli(), to.toEpochMilli());
        return new Window(
                counts.requests(),
                counts.errors(),
                counts.requests() == 0 ? 0 : counts.latencySeconds() * 1000 / counts.requests());
    }

    /** The id the sandbox gives instance {@code number} (from 1) of reef {@code reefIndex} (from 0) of a fleet. */
    public static String instanceId(int reefIndex, int number) {
        return ReefIdentity.forCount(reefIndex + 1).get(reefIndex).instanceId(number);
    }
}
