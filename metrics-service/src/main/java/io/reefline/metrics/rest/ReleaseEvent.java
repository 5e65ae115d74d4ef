package io.reefline.metrics.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * A release CI registered: its version and the commits it adds over the release before it. {@code fixesIncident}
 * names the incident it was cut to fix, if any: its deployments are rework (an incident's {@code fixVersion} says the
 * same from the other side).
 */
public record ReleaseEvent(
        @NotBlank @Size(max = 100) String id,
        @NotBlank @Size(max = 100) String version,

        @NotNull @Size(max = 5000)
        List<@NotNull @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a hexadecimal commit SHA") String> commits,

        @NotNull Instant createdAt,
        @Size(min = 1, max = 100) String fixesIncident) {}
