package io.reefline.metrics.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DoraBucketsTest {

    @Test
    void shouldClassifyLeadTimeLikeThe2023Report() {
        assertEquals(DoraLevel.ELITE, DoraBuckets.leadTime(Duration.ofHours(23)));
        assertEquals(DoraLevel.HIGH, DoraBuckets.leadTime(Duration.ofDays(1)));
        // The talk's 4 d 3 h.
        assertEquals(DoraLevel.HIGH, DoraBuckets.leadTime(Duration.ofDays(4).plusHours(3)));
        assertEquals(DoraLevel.MEDIUM, DoraBuckets.leadTime(Duration.ofDays(8)));
        assertEquals(DoraLevel.LOW, DoraBuckets.leadTime(Duration.ofDays(31)));
    }

    @Test
    void shouldClassifyDeploymentFrequency() {
        assertEquals(DoraLevel.ELITE, DoraBuckets.deploymentFrequency(3));
        assertEquals(DoraLevel.HIGH, DoraBuckets.deploymentFrequency(2 / 7.0));
        assertEquals(DoraLevel.MEDIUM, DoraBuckets.deploymentFrequency(2 / 30.0));
        assertEquals(DoraLevel.LOW, DoraBuckets.deploymentFrequency(1 / 60.0));
    }

    @Test
    void shouldClassifyChangeFailureRate() {
        assertEquals(DoraLevel.ELITE, DoraBuckets.changeFailureRate(0.05));
        assertEquals(DoraLevel.HIGH, DoraBuckets.changeFailureRate(0.08));
        assertEquals(DoraLevel.MEDIUM, DoraBuckets.changeFailureRate(0.15));
        assertEquals(DoraLevel.LOW, DoraBuckets.changeFailureRate(0.2));
    }

    @Test
    void shouldClassifyRecoveryTime() {
        // The talk: fixed in under an hour, detected after 5 d 20 h.
        assertEquals(DoraLevel.ELITE, DoraBuckets.recovery(Duration.ofMinutes(59)));
        assertEquals(DoraLevel.HIGH, DoraBuckets.recovery(Duration.ofHours(1)));
        assertEquals(DoraLevel.MEDIUM, DoraBuckets.recovery(Duration.ofDays(5).plusHours(20)));
        assertEquals(DoraLevel.LOW, DoraBuckets.recovery(Duration.ofDays(8)));
    }

    @Test
    void shouldJudgeGoalsInTheRightDirection() {
        Goals goals = new Goals(Duration.ofDays(1), null, Duration.ofHours(1), 1.0, 0.1, 0.01, 0.999, null, null);
        assertEquals(
                false,
                DoraMetric.LEAD_TIME_TO_FIRST_CUSTOMER
                        .meetsGoal(goals, 4 * 86_400 + 3 * 3600)
                        .get());
        assertEquals(true, DoraMetric.TIME_TO_FIX.meetsGoal(goals, 1800).get());
        assertEquals(true, DoraMetric.DEPLOYMENT_FREQUENCY.meetsGoal(goals, 2).get());
        assertEquals(
                true, DoraMetric.DEFECT_ESCAPE_RATE.meetsGoal(goals, 2 / 550.0).get());
        assertEquals(true, DoraMetric.TIME_TO_DETECT.meetsGoal(goals, 1).isEmpty());
        assertEquals(true, DoraMetric.DEFECT_ESCAPE_RATE.level(0.5).isEmpty());
    }
}
