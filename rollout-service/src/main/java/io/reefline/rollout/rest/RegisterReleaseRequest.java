package io.reefline.rollout.rest;

import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.fleet.Release;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * What CI sends to register a build. {@code image} must name {@code version} in its tag, or be pinned by digest
 * ({@code repo@sha256:<64 hex>}); {@code channel} defaults to {@code stable}, {@code createdAt} to now, and
 * {@code ignoreWindows} needs {@code ignoreWindowsReason}. The size limits are those of the columns the release is
 * stored in, so a request that passes here is never refused by the database.
 */
public record RegisterReleaseRequest(
        @NotBlank @Size(max = Release.MAX_VERSION) String version,
        @NotBlank @Size(max = Release.MAX_IMAGE) String image,

        @Size(max = Channel.MAX_LENGTH) @Pattern(regexp = Channel.PATTERN, message = Channel.PATTERN_MESSAGE)
        String channel,

        @Size(max = Release.MAX_COMMITS)
        List<@NotNull @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a hexadecimal commit SHA") String> commits,

        Instant createdAt,
        Boolean expedite,
        Boolean ignoreWindows,
        @Size(max = Release.MAX_IGNORE_WINDOWS_REASON) String ignoreWindowsReason) {}
