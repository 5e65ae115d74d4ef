package io.reefline.metrics.rest;

import io.reefline.platform.problem.FieldViolation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An outage, as the instance sidecar reports it ({@code instanceId}, always unplanned) or as an operator records a
 * maintenance or a service-wide outage ({@code service} instead of {@code instanceId}). {@code planned} defaults to
 * false: an outage nobody announced is unplanned. {@code reef}, optional, names the reef the instance runs in: a reef's
 * cell may report its own reef's downtime only, so an event it forwards naming another reef is refused.
 */
public record DowntimeEvent(
        @NotBlank @Size(max = 100) String id,
        @Size(min = 1, max = 100) String instanceId,
        @Size(min = 1, max = 100) String service,
        @NotNull Instant start,
        @NotNull Instant end,
        Boolean planned,
        @NotBlank @Size(max = 40) String source,

        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._+-]{0,99}", message = "must be a reef name")
        String reef)
        implements CrossFieldRules {

    public boolean isPlanned() {
        return Boolean.TRUE.equals(planned);
    }

    @Override
    public List<FieldViolation> crossFieldViolations() {
        List<FieldViolation> violations = new ArrayList<>();
        if ((instanceId == null) == (service == null)) {
            violations.add(new FieldViolation("instanceId", "give exactly one of instanceId and service"));
        }
        if (start != null && end != null && !end.isAfter(start)) {
            violations.add(new FieldViolation("end", "must be after start"));
        }
        return violations;
    }
}
