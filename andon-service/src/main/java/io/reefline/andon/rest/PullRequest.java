package io.reefline.andon.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of a cord pull. Who pulled is taken from the token, never from here. An automatic pull (canary analysis)
 * also says when the impact started, when the problem was detected, which ring detected it and why (the evidence).
 */
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

        @Size(max = 10) List<@NotBlank @Pattern(regexp = RING_NAME, message = "must be a ring name") String> allowRings,

        @Pattern(regexp = ForwardedPullRequest.UTC_TIME, message = "must be an ISO-8601 UTC time ending in Z")
        @Schema(
                description = "When the release first reached a customer (ISO-8601, UTC); not after detectedAt, not"
                        + " in the future")
        String impactStartedAt,

        @Pattern(regexp = ForwardedPullRequest.UTC_TIME, message = "must be an ISO-8601 UTC time ending in Z")
        @Schema(
                description = "When the problem was detected (ISO-8601, UTC); default the pull time; at most 1 minute"
                        + " ahead of the hub's clock")
        String detectedAt,

        @Pattern(regexp = RING_NAME, message = "must be a ring name")
        @Schema(description = "The ring whose analysis detected the problem, e.g. canary")
        String ring,

        @Schema(
                type = SchemaType.OBJECT,
                description = "Why: a JSON object of at most 16 KB (serialized), stored and shown on the cord")
        JsonNode evidence) {

    /** A ring's name, as in a ring policy. */
    public static final String RING_NAME = "[a-z][a-z0-9-]{0,39}";

    /** The longest evidence a pull may carry, serialized as UTF-8 JSON. */
    public static final int MAX_EVIDENCE_BYTES = 16 * 1024;

    /** A pull without the fields only an automatic pull carries. */
    public PullRequest(
            String reason,
            String category,
            String severity,
            String scope,
            String suspectedRelease,
            List<String> links,
            List<String> allowRings) {
        this(reason, category, severity, scope, suspectedRelease, links, allowRings, null, null, null, null);
    }
}
