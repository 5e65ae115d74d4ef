package io.reefline.metrics.domain;

import java.time.Duration;

/**
 * The targets operators set, each optional (null: no goal). Durations and rates are met at or below the target;
 * deployment frequency and uptime at or above it.
 *
 * @param leadTime commit to first customer instance (the talk's goal: 1 day)
 * @param timeToDetect causing release first reached a customer to detected
 * @param timeToFix detected to fix deployed or resolved (the talk's goal: under 1 hour)
 * @param deploymentsPerDay releases reaching a customer per day
 * @param changeFailureRate failed releases over releases, as a ratio (0.1 = 10%)
 * @param defectEscapeRate commits linked to SEV-0/1 incidents over commits, as a ratio (0.01 = 1%)
 * @param uptime fleet uptime without planned maintenance, as a ratio (0.9999 = 99.99%)
 * @param failedDeploymentRecoveryTime impact start to recovery (time to detect + time to fix)
 * @param deploymentReworkRate rework deployments over customer deployments, as a ratio (0.05 = 5%)
 */
public record Goals(
        Duration leadTime,
        Duration timeToDetect,
        Duration timeToFix,
        Double deploymentsPerDay,
        Double changeFailureRate,
        Double defectEscapeRate,
        Double uptime,
        Duration failedDeploymentRecoveryTime,
        Double deploymentReworkRate) {

    /** The talk's goals: lead time 1 day, time to fix 1 hour, escape rate 1%. */
    public static final Goals DEFAULT =
            new Goals(Duration.ofDays(1), null, Duration.ofHours(1), null, null, 0.01, null, null, null);
}
