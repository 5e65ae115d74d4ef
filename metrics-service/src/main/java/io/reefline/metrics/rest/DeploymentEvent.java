package io.reefline.metrics.rest;

import io.reefline.platform.problem.FieldViolation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * One upgrade of one instance, sent when it finished. {@code ring} is the ring the instance was upgraded in: {@code
 * staff} instances are not customers, and {@code laggard} instances are not waited for by the lead time to every
 * non-laggard instance.
 */
public record DeploymentEvent(
        @NotBlank @Size(max = 100) String id,
        @NotBlank @Size(max = 100) String instanceId,
        @NotBlank @Size(max = 100) String release,

        @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be a ring name such as staff or canary")
        String ring,

        @NotNull Instant startedAt,
        @NotNull Instant finishedAt,
        @NotNull Boolean success)
        implements CrossFieldRules {

    @Override
    public List<FieldViolation> crossFieldViolations() {
        if (startedAt != null && finishedAt != null && finishedAt.isBefore(startedAt)) {
            return List.of(new FieldViolation("finishedAt", "must not be before startedAt"));
        }
        return List.of();
    }
}
