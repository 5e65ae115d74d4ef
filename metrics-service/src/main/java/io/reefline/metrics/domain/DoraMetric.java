package io.reefline.metrics.domain;

import java.time.Duration;
import java.util.Optional;

/**
 * The delivery metrics Reefline reports, each with the statistic it is judged by. Durations are judged by their median
 * (what DORA asks for: the typical change, not the outlier); rates by their ratio.
 */
public enum DoraMetric {
    LEAD_TIME_TO_FIRST_CUSTOMER("leadTimeToFirstCustomer", Unit.SECONDS),
    LEAD_TIME_TO_NON_LAGGARDS("leadTimeToNonLaggards", Unit.SECONDS),
    DEPLOYMENT_FREQUENCY("deploymentFrequency", Unit.PER_DAY),
    CHANGE_FAILURE_RATE("changeFailureRate", Unit.RATIO),
    TIME_TO_DETECT("timeToDetect", Unit.SECONDS),
    TIME_TO_FIX("timeToFix", Unit.SECONDS),
    /** DORA's name since 2023 for what was MTTR: impact start to recovery, i.e. time to detect plus time to fix. */
    FAILED_DEPLOYMENT_RECOVERY_TIME("failedDeploymentRecoveryTime", Unit.SECONDS),
    /** DORA's fifth metric (2024): customer deployments that were unplanned, made because of an incident. */
    DEPLOYMENT_REWORK_RATE("deploymentReworkRate", Unit.RATIO),
    DEFECT_ESCAPE_RATE("highSeverityDefectEscapeRate", Unit.RATIO);

    /** What a metric's values measure. */
    public enum Unit {
        SECONDS("seconds"),
        PER_DAY("per day"),
        RATIO("ratio");

        private final String label;

        Unit(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final String key;
    private final Unit unit;

    DoraMetric(String key, Unit unit) {
        this.key = key;
        this.unit = unit;
    }

    public String key() {
        return key;
    }

    public Unit unit() {
        return unit;
    }

    /** The statistic the level and the goal are judged by. */
    public String judgedBy() {
        return unit == Unit.SECONDS ? "median" : unit == Unit.PER_DAY ? "perDay" : "ratio";
    }

    /** The DORA 2023 level of {@code value}; empty for the escape and rework rates, which DORA gives no levels for. */
    public Optional<DoraLevel> level(double value) {
        return switch (this) {
            case LEAD_TIME_TO_FIRST_CUSTOMER, LEAD_TIME_TO_NON_LAGGARDS ->
                Optional.of(DoraBuckets.leadTime(seconds(value)));
            case DEPLOYMENT_FREQUENCY -> Optional.of(DoraBuckets.deploymentFrequency(value));
            case CHANGE_FAILURE_RATE -> Optional.of(DoraBuckets.changeFailureRate(value));
            case TIME_TO_DETECT, TIME_TO_FIX, FAILED_DEPLOYMENT_RECOVERY_TIME ->
                Optional.of(DoraBuckets.recovery(seconds(value)));
            // DORA publishes no level thresholds for the rework rate.
            case DEFECT_ESCAPE_RATE, DEPLOYMENT_REWORK_RATE -> Optional.empty();
        };
    }

    /** The operators' target in this metric's unit; empty when they set none. */
    public Optional<Double> goal(Goals goals) {
        return Optional.ofNullable(
                switch (this) {
                    case LEAD_TIME_TO_FIRST_CUSTOMER -> secondsOf(goals.leadTime());
                    case LEAD_TIME_TO_NON_LAGGARDS -> null;
                    case DEPLOYMENT_FREQUENCY -> goals.deploymentsPerDay();
                    case CHANGE_FAILURE_RATE -> goals.changeFailureRate();
                    case TIME_TO_DETECT -> secondsOf(goals.timeToDetect());
                    case TIME_TO_FIX -> secondsOf(goals.timeToFix());
                    case FAILED_DEPLOYMENT_RECOVERY_TIME -> secondsOf(goals.failedDeploymentRecoveryTime());
                    case DEPLOYMENT_REWORK_RATE -> goals.deploymentReworkRate();
                    case DEFECT_ESCAPE_RATE -> goals.defectEscapeRate();
                });
    }

    /** Whether {@code value} meets the goal: more is better only for deployment frequency. */
    public Optional<Boolean> meetsGoal(Goals goals, double value) {
        return goal(goals).map(target -> this == DEPLOYMENT_FREQUENCY ? value >= target : value <= target);
    }

    private static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }

    private static Double secondsOf(Duration duration) {
        return duration == null ? null : duration.toMillis() / 1000.0;
    }
}
