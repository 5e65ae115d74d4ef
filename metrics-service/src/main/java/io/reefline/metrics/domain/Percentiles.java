package io.reefline.metrics.domain;

import java.util.Arrays;
import java.util.Collection;
import java.util.OptionalDouble;

/**
 * The statistics every duration metric reports, with PostgreSQL's {@code percentile_cont} semantics (linear
 * interpolation between the two nearest ranks), so the SQL the service runs and a hand-computed expectation agree.
 */
public final class Percentiles {

    private Percentiles() {}

    /** The continuous percentile {@code fraction} (0..1) of {@code values}; empty for no values. */
    public static OptionalDouble continuous(Collection<? extends Number> values, double fraction) {
        if (fraction < 0 || fraction > 1) {
            throw new IllegalArgumentException("fraction must be within 0..1, was " + fraction);
        }
        if (values.isEmpty()) {
            return OptionalDouble.empty();
        }
        double[] sorted =
                values.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        double rank = fraction * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = (int) Math.ceil(rank);
        return OptionalDouble.of(sorted[below] + (rank - below) * (sorted[above] - sorted[below]));
    }

    public static OptionalDouble median(Collection<? extends Number> values) {
        return continuous(values, 0.5);
    }

    public static OptionalDouble mean(Collection<? extends Number> values) {
        return Arrays.stream(values.stream().mapToDouble(Number::doubleValue).toArray())
                .average();
    }
}
