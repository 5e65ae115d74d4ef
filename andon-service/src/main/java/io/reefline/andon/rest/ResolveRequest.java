package io.reefline.andon.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a resolve: what fixed the problem, and in which release the fix ships. */
public record ResolveRequest(
        @NotBlank @Size(max = 2000) @Schema(description = "What was wrong and what fixed it", required = true)
        String resolution,

        @Size(max = 100)
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._+-]*", message = "must be a version such as 2026.11.4")
        @Schema(description = "The release that carries the fix")
        String fixVersion) {}
