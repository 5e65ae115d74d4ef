package io.reefline.rollout.domain.analysis;

import io.reefline.rollout.domain.policy.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A ring's canary analysis, as data.
 *
 * @param interval a verdict at most this often
 * @param minDuration how long the canaries must have been observed before a look may PASS (a FAIL never waits)
 * @param dryRun record verdicts, never act on them
 * @param restoreFailedCanaries on a FAIL, restore the failing canaries' previous image (otherwise nothing is restored:
 *     the fix is a newer release)
 * @param metrics what is judged, each metric at most once
 */
public record AnalysisSpec(
        Duration interval,
        Duration minDuration,
        boolean dryRun,
        boolean restoreFailedCanaries,
        List<MetricCheck> metrics) {

    /** The shortest interval between two looks. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** The most metrics one ring may judge. */
    public static final int MAX_METRICS = 10;

    public static final int MIN_SAMPLES_LOWEST = 2;
    public static final int MIN_SAMPLES_HIGHEST = 100_000;

    public AnalysisSpec {
        metrics = metrics == null ? null : Collections.unmodifiableList(new ArrayList<>(metrics));
    }

    /**
     * A look every minute, a PASS after 5 minutes at the earliest, and four metrics: error rate and latency by
     * Mann-Whitney at alpha 0.001 with a practical margin of +50 % and +1 percentage point / +50 ms; restarts by
     * Mann-Whitney with a margin of +0.05 restarts per window (one window in 20); health-check failures above 20 % fail.
     */
    public static AnalysisSpec defaults() {
        return new AnalysisSpec(
                Duration.ofMinutes(1),
                Duration.ofMinutes(5),
                false,
                false,
                List.of(
                        new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, 0.5, 0.01, 20, null),
                        new MetricCheck(Metric.LATENCY, StatTest.MANN_WHITNEY, 0.001, 0.5, 50, 20, null),
                        new MetricCheck(Metric.RESTARTS, StatTest.MANN_WHITNEY, 0.001, 0, 0.05, 20, null),
                        new MetricCheck(Metric.HEALTH_FAILURES, StatTest.THRESHOLD, 0.001, 0, 0, 10, 0.2)));
    }

    /** The default check of {@code metric}: what a policy's omitted fields of that metric take. */
    public static Optional<MetricCheck> defaultCheck(Metric metric) {
        return defaults().metrics().stream().filter(m -> m.metric() == metric).findFirst();
    }

    /**
     * How far back a look reads: twice the least observation a PASS needs, and at least ten minutes, so a long ring
     * compares its recent behaviour rather than reading days of windows at every look.
     */
    public Duration lookback() {
        Duration twice = minDuration.multipliedBy(2);
        Duration least = Duration.ofMinutes(10);
        return twice.compareTo(least) > 0 ? twice : least;
    }

    /** Every problem with this spec, each field named under {@code at} (e.g. {@code rings[1].analysis}). */
    public List<Violation> validate(String at) {
        List<Violation> violations = new ArrayList<>();
        if (interval == null || interval.compareTo(MIN_INTERVAL) < 0) {
            violations.add(new Violation(at + ".interval", "must be at least PT1S"));
        }
        if (minDuration == null || minDuration.isNegative()) {
            violations.add(new Violation(at + ".minDuration", "must be zero or a positive duration"));
        }
        if (metrics == null || metrics.isEmpty()) {
            violations.add(new Violation(at + ".metrics", "at least one metric is required"));
            return violations;
        }
        if (metrics.size() > MAX_METRICS) {
            violations.add(
                    new Violation(at + ".metrics", "at most " + MAX_METRICS + " metrics, not " + metrics.size()));
            return violations;
        }
        Set<Metric> seen = EnumSet.noneOf(Metric.class);
        for (int i = 0; i < metrics.size(); i++) {
            MetricCheck check = metrics.get(i);
            String m = at + ".metrics[" + i + "]";
            if (check == null) {
                violations.add(new Violation(m, "must not be null"));
                continue;
            }
            if (check.metric() == null) {
                violations.add(new Violation(m + ".name", "is required"));
            } else if (!seen.add(check.metric())) {
                violations.add(new Violation(m + ".name", check.metric().jsonName() + " is checked twice"));
            }
            if (check.test() == null) {
                violations.add(new Violation(m + ".test", "is required"));
            }
            if (!(check.alpha() > 0 && check.alpha() <= 0.5)) {
                violations.add(new Violation(m + ".alpha", "must be above 0 and at most 0.5"));
            }
            if (!(check.minSamples() >= MIN_SAMPLES_LOWEST && check.minSamples() <= MIN_SAMPLES_HIGHEST)) {
                violations.add(new Violation(
                        m + ".minSamples", "must be between " + MIN_SAMPLES_LOWEST + " and " + MIN_SAMPLES_HIGHEST));
            }
            if (!(check.minRelativeIncrease() >= 0 && Double.isFinite(check.minRelativeIncrease()))) {
                violations.add(new Violation(m + ".minRelativeIncrease", "must be zero or a positive number"));
            }
            if (!(check.minAbsoluteIncrease() >= 0 && Double.isFinite(check.minAbsoluteIncrease()))) {
                violations.add(new Violation(m + ".minAbsoluteIncrease", "must be zero or a positive number"));
            }
            if (check.test() == StatTest.THRESHOLD) {
                if (check.max() == null) {
                    violations.add(new Violation(m + ".max", "a threshold needs a max"));
                } else if (!(check.max() >= 0 && Double.isFinite(check.max()))) {
                    violations.add(new Violation(m + ".max", "must be zero or a positive number"));
                }
            } else if (check.test() == StatTest.MANN_WHITNEY && check.max() != null) {
                violations.add(
                        new Violation(m + ".max", "only a threshold has a max; mann-whitney compares with control"));
            }
        }
        return violations;
    }
}
