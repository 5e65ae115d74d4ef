package io.reefline.rollout.domain.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.policy.Violation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnalysisSpecTest {

    private static final String AT = "rings[1].analysis";

    private static MetricCheck errorRate() {
        return AnalysisSpec.defaultCheck(Metric.ERROR_RATE).orElseThrow();
    }

    private static AnalysisSpec withMetrics(List<MetricCheck> metrics) {
        return new AnalysisSpec(Duration.ofMinutes(1), Duration.ofMinutes(5), false, false, metrics);
    }

    private static List<Violation> violations(MetricCheck check) {
        return withMetrics(List.of(check)).validate(AT);
    }

    @Test
    void shouldHaveTheFourDefaultMetrics() {
        AnalysisSpec defaults = AnalysisSpec.defaults();

        assertEquals(List.of(), defaults.validate(AT));
        assertEquals(Duration.ofMinutes(1), defaults.interval());
        assertEquals(Duration.ofMinutes(5), defaults.minDuration());
        assertEquals(
                List.of(
                        new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, 0.5, 0.01, 20, null),
                        new MetricCheck(Metric.LATENCY, StatTest.MANN_WHITNEY, 0.001, 0.5, 50, 20, null),
                        new MetricCheck(Metric.RESTARTS, StatTest.MANN_WHITNEY, 0.001, 0, 0.05, 20, null),
                        new MetricCheck(Metric.HEALTH_FAILURES, StatTest.THRESHOLD, 0.001, 0, 0, 10, 0.2)),
                defaults.metrics());
    }

    @Test
    void shouldNameTheIntervalAndTheMinimumDuration() {
        AnalysisSpec spec =
                new AnalysisSpec(Duration.ofMillis(500), Duration.ofMinutes(-1), false, false, List.of(errorRate()));

        assertEquals(
                List.of(
                        new Violation(AT + ".interval", "must be at least PT1S"),
                        new Violation(AT + ".minDuration", "must be zero or a positive duration")),
                spec.validate(AT));
        assertEquals(
                List.of(
                        new Violation(AT + ".interval", "must be at least PT1S"),
                        new Violation(AT + ".minDuration", "must be zero or a positive duration")),
                new AnalysisSpec(null, null, false, false, List.of(errorRate())).validate(AT));
        assertEquals(
                List.of(),
                new AnalysisSpec(Duration.ofSeconds(1), Duration.ZERO, false, false, List.of(errorRate()))
                        .validate(AT));
    }

    @Test
    void shouldWantOneToTenMetricsEachOnce() {
        assertEquals(
                List.of(new Violation(AT + ".metrics", "at least one metric is required")),
                withMetrics(List.of()).validate(AT));
        assertEquals(
                List.of(new Violation(AT + ".metrics", "at least one metric is required")),
                withMetrics(null).validate(AT));
        assertEquals(
                List.of(new Violation(AT + ".metrics", "at most 10 metrics, not 11")),
                withMetrics(Collections.nCopies(11, errorRate())).validate(AT));
        assertEquals(
                List.of(new Violation(AT + ".metrics[2].name", "error-rate is checked twice")),
                withMetrics(List.of(
                                errorRate(),
                                AnalysisSpec.defaultCheck(Metric.LATENCY).orElseThrow(),
                                errorRate()))
                        .validate(AT));
        List<MetricCheck> withNull = new ArrayList<>();
        withNull.add(null);
        assertEquals(
                List.of(new Violation(AT + ".metrics[0]", "must not be null")),
                withMetrics(withNull).validate(AT));
    }

    @Test
    void shouldBoundAlphaToAProperOneSidedLevel() {
        for (double alpha : new double[] {0, -0.1, 0.51, 2, Double.NaN}) {
            assertEquals(
                    List.of(new Violation(AT + ".metrics[0].alpha", "must be above 0 and at most 0.5")),
                    violations(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, alpha, 0.5, 0.01, 20, null)),
                    "alpha " + alpha);
        }
        assertEquals(
                List.of(),
                violations(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.5, 0.5, 0.01, 20, null)));
    }

    @Test
    void shouldBoundMinSamplesAndTheMargins() {
        assertEquals(
                List.of(new Violation(AT + ".metrics[0].minSamples", "must be between 2 and 100000")),
                violations(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, 0.5, 0.01, 1, null)));
        assertEquals(
                List.of(new Violation(AT + ".metrics[0].minSamples", "must be between 2 and 100000")),
                violations(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, 0.5, 0.01, 100_001, null)));
        assertEquals(
                List.of(
                        new Violation(AT + ".metrics[0].minRelativeIncrease", "must be zero or a positive number"),
                        new Violation(AT + ".metrics[0].minAbsoluteIncrease", "must be zero or a positive number")),
                violations(new MetricCheck(
                        Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 0.001, -0.5, Double.POSITIVE_INFINITY, 20, null)));
    }

    @Test
    void shouldGiveAThresholdAMaxAndMannWhitneyNone() {
        assertEquals(
                List.of(new Violation(AT + ".metrics[0].max", "a threshold needs a max")),
                violations(new MetricCheck(Metric.LATENCY, StatTest.THRESHOLD, 0.001, 0, 0, 10, null)));
        assertEquals(
                List.of(new Violation(AT + ".metrics[0].max", "must be zero or a positive number")),
                violations(new MetricCheck(Metric.LATENCY, StatTest.THRESHOLD, 0.001, 0, 0, 10, Double.NaN)));
        assertEquals(
                List.of(new Violation(
                        AT + ".metrics[0].max", "only a threshold has a max; mann-whitney compares with control")),
                violations(new MetricCheck(Metric.LATENCY, StatTest.MANN_WHITNEY, 0.001, 0.5, 50, 20, 500.0)));
        assertEquals(
                List.of(
                        new Violation(AT + ".metrics[0].name", "is required"),
                        new Violation(AT + ".metrics[0].test", "is required")),
                violations(new MetricCheck(null, null, 0.001, 0, 0, 10, null)));
    }

    @Test
    void shouldBeCheckedWithTheRingPolicyUnderTheRingsPath() {
        Ring canary = new Ring(
                "Canary",
                new RingSelector.Percentage(5),
                Duration.ofMinutes(1),
                Duration.ofMinutes(30),
                true,
                false,
                withMetrics(
                        List.of(new MetricCheck(Metric.ERROR_RATE, StatTest.MANN_WHITNEY, 2, 0.5, 0.01, 20, null))));
        RingPolicy policy = new RingPolicy(
                List.of(
                        new Ring("Staff", new RingSelector.Remainder(), Duration.ZERO, Duration.ofMinutes(30), false),
                        canary),
                1,
                Duration.ofMinutes(1),
                0);

        assertEquals(
                List.of(new Violation("rings[1].analysis.metrics[0].alpha", "must be above 0 and at most 0.5")),
                policy.validate());
    }
}
