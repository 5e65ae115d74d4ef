package io.reefline.andon.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A pull that a reef's cell took while standing in for andon-service, forwarded to the hub. The cell verified the
 * puller's token; it says who pulled, in which reef, and when (the cell's clock: time to detect starts there, not when
 * the hub heard of it). Only the {@code cell} role may send one.
 */
public record ForwardedPullRequest(
        @NotBlank
        @Size(max = 200)
        @Schema(description = "Who pulled: the subject of the token the cell verified", required = true)
        String pulledBy,

        @NotBlank
        @Pattern(regexp = REEF_NAME, message = "must be a reef name")
        @Schema(description = "The reef whose cell took the pull", required = true)
        String reef,

        @NotBlank
        @Pattern(regexp = UTC_TIME, message = "must be an ISO-8601 UTC time ending in Z")
        @Schema(description = "When the cell took the pull (ISO-8601, UTC)", required = true)
        String pulledAt,

        @Valid @NotNull @Schema(description = "The pull as the puller sent it to the cell", required = true)
        PullRequest pull) {

    /** A reef's name, as in a {@code reef:<name>} scope. */
    public static final String REEF_NAME = "[A-Za-z0-9][A-Za-z0-9._+-]{0,99}";

    /** An instant on the wire: UTC with {@code Z}, optional fraction. */
    public static final String UTC_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z";
}
