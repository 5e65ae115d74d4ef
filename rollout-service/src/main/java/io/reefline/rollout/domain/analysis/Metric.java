package io.reefline.rollout.domain.analysis;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;

/** What canary analysis compares, one value per sample. */
public enum Metric {
    /** errors / requests of a window; no value when the instance served no requests or exposes no counters. */
    ERROR_RATE("error-rate", true),
    /** the window's mean request latency in milliseconds; no value when unknown. */
    LATENCY("latency", false),
    /** container restarts in the window. */
    RESTARTS("restarts", false),
    /** failed / run health checks of a window; no value when no check ran. */
    HEALTH_FAILURES("health-failures", true);

    private final String jsonName;
    private final boolean rate;

    Metric(String jsonName, boolean rate) {
        this.jsonName = jsonName;
        this.rate = rate;
    }

    /** This metric's value in one sample, empty when the sample does not tell it. */
    public OptionalDouble valueOf(Sample s) {
        return switch (this) {
            case ERROR_RATE ->
                s.requests() == null || s.requests() == 0 || s.errors() == null
                        ? OptionalDouble.empty()
                        : OptionalDouble.of((double) s.errors() / s.requests());
            case LATENCY -> s.latencyMs() == null ? OptionalDouble.empty() : OptionalDouble.of(s.latencyMs());
            case RESTARTS -> OptionalDouble.of(s.restarts());
            case HEALTH_FAILURES ->
                s.healthChecks() == 0
                        ? OptionalDouble.empty()
                        : OptionalDouble.of((double) s.healthFailures() / s.healthChecks());
        };
    }

    /**
     * For a rate, the numerator and denominator of one sample ({@code errors, requests} or {@code failures, checks}),
     * so that a side's rate is pooled (sum over sum) rather than a mean of rates that weighs a quiet window like a busy
     * one. Only called when {@link #valueOf} has a value.
     */
    double[] ratio(Sample s) {
        return switch (this) {
            case ERROR_RATE -> new double[] {s.errors(), s.requests()};
            case HEALTH_FAILURES -> new double[] {s.healthFailures(), s.healthChecks()};
            default -> throw new IllegalStateException(this + " is not a rate");
        };
    }

    /** True for error-rate and health-failures: their statistic is the pooled rate. */
    public boolean isRate() {
        return rate;
    }

    /** The name in the policy JSON: {@code error-rate}, {@code latency}, {@code restarts}, {@code health-failures}. */
    public String jsonName() {
        return jsonName;
    }

    public static Optional<Metric> ofJson(String name) {
        return Arrays.stream(values()).filter(m -> m.jsonName.equals(name)).findFirst();
    }
}
