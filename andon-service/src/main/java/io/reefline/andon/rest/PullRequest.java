package io.reefline.andon.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of a cord pull. Who pulled is taken from the token, never from here. */
public record PullRequest(
        @NotBlank @Size(max = 2000) @Schema(description = "What is wrong, in the puller's words", required = true)
        String reason,

        @NotBlank
        @Schema(
                description = "cant-deploy, cant-edit-deployment-process, cant-edit-releases, cant-run-runbook,"
                        + " cant-edit-users, doesnt-look-right or other",
                required = true)
        String category,

        @Schema(description = "SEV-0 .. SEV-3", defaultValue = "SEV-2")
        String severity,

        @NotBlank @Schema(description = "global, reef:<name> or release:<version>", required = true)
        String scope,

        @Size(max = 100) String suspectedRelease,

        @Size(max = 20)
        List<@NotBlank @Size(max = 500) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String>
                links,

        @Size(max = 10)
        List<@NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{0,39}", message = "must be a ring name") String> allowRings) {}
