package io.reefline.metrics.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reefline.metrics.domain.Goals;
import io.reefline.platform.problem.FieldViolation;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The operators' goals on the wire: durations as ISO-8601 ({@code P1D}, {@code PT1H}), rates and uptime as ratios
 * ({@code 0.01} = 1%). A missing field means no goal for that metric.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GoalsDocument(
        @Size(max = 40) String leadTime,
        @Size(max = 40) String timeToDetect,
        @Size(max = 40) String timeToFix,
        @DecimalMin("0") Double deploymentsPerDay,
        @DecimalMin("0") @DecimalMax("1") Double changeFailureRate,
        @DecimalMin("0") @DecimalMax("1") Double defectEscapeRate,
        @DecimalMin("0") @DecimalMax("1") Double uptime,
        @Size(max = 40) String failedDeploymentRecoveryTime,
        @DecimalMin("0") @DecimalMax("1") Double deploymentReworkRate)
        implements CrossFieldRules {

    public static GoalsDocument of(Goals goals) {
        return new GoalsDocument(
                text(goals.leadTime()),
                text(goals.timeToDetect()),
                text(goals.timeToFix()),
                goals.deploymentsPerDay(),
                goals.changeFailureRate(),
                goals.defectEscapeRate(),
                goals.uptime(),
                text(goals.failedDeploymentRecoveryTime()),
                goals.deploymentReworkRate());
    }

    /** The goals; call only on a document without {@link #crossFieldViolations()}. */
    public Goals toGoals() {
        return new Goals(
                duration(leadTime),
                duration(timeToDetect),
                duration(timeToFix),
                deploymentsPerDay,
                changeFailureRate,
                defectEscapeRate,
                uptime,
                duration(failedDeploymentRecoveryTime),
                deploymentReworkRate);
    }

    @Override
    public List<FieldViolation> crossFieldViolations() {
        List<FieldViolation> violations = new ArrayList<>();
        check("leadTime", leadTime, violations);
        check("timeToDetect", timeToDetect, violations);
        check("timeToFix", timeToFix, violations);
        check("failedDeploymentRecoveryTime", failedDeploymentRecoveryTime, violations);
        return violations;
    }

    private static void check(String field, String value, List<FieldViolation> violations) {
        if (value == null) {
            return;
        }
        try {
            Duration parsed = Duration.parse(value);
            if (parsed.isNegative() || parsed.isZero()) {
                violations.add(new FieldViolation(field, "must be a positive duration"));
            }
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "must be an ISO-8601 duration such as P1D or PT1H"));
        }
    }

    private static Duration duration(String value) {
        return value == null ? null : Duration.parse(value);
    }

    private static String text(Duration duration) {
        return duration == null ? null : duration.toString();
    }
}
