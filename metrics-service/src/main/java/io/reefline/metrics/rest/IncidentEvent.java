package io.reefline.metrics.rest;

import io.reefline.platform.problem.FieldViolation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * An incident snapshot: sent when an incident is detected and again whenever it changes (e.g. resolved). {@code id}
 * is the event id (stored once); {@code incidentId} names the incident across snapshots.
 */
public record IncidentEvent(
        @NotBlank @Size(max = 100) String id,
        @NotBlank @Size(max = 100) String incidentId,
        @NotBlank @Size(max = 2000) String title,
        @Size(max = 4000) String details,

        @NotNull @Pattern(regexp = "SEV-[0-3]", message = "must be SEV-0, SEV-1, SEV-2 or SEV-3")
        String severity,

        Instant impactStartedAt,
        @NotNull Instant detectedAt,
        Instant resolvedAt,
        @Size(max = 100) String causingRelease,

        @Size(max = 1000)
        List<@NotNull @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a hexadecimal commit SHA") String>
                causingCommits,

        @Size(max = 100) String fixVersion,
        @NotBlank @Size(max = 40) String source,
        @Size(max = 50) List<@NotBlank @Size(max = 500) String> links,

        @Pattern(regexp = "[a-z][a-z0-9-]{0,39}", message = "must be a ring name such as canary")
        String ring,

        Instant occurredAt)
        implements CrossFieldRules {

    @Override
    public List<FieldViolation> crossFieldViolations() {
        List<FieldViolation> violations = new java.util.ArrayList<>();
        if (resolvedAt != null && detectedAt != null && resolvedAt.isBefore(detectedAt)) {
            violations.add(new FieldViolation("resolvedAt", "must not be before detectedAt"));
        }
        if (impactStartedAt != null && detectedAt != null && impactStartedAt.isAfter(detectedAt)) {
            violations.add(new FieldViolation("impactStartedAt", "must not be after detectedAt"));
        }
        return violations;
    }
}
