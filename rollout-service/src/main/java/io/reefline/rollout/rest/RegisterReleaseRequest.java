package io.reefline.rollout.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * What CI sends to register a build. {@code channel} defaults to {@code stable}, {@code createdAt} to now, and
 * {@code ignoreWindows} needs {@code ignoreWindowsReason}.
 */
public record RegisterReleaseRequest(
        @NotBlank @Size(max = 100) String version,
        @NotBlank @Size(max = 500) String image,

        @Size(max = 100) @Pattern(regexp = "[a-z0-9][a-z0-9-]*", message = "must be lower-case letters, digits and -")
        String channel,

        @Size(max = 5000)
        List<@NotNull @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a hexadecimal commit SHA") String> commits,

        Instant createdAt,
        Boolean expedite,
        Boolean ignoreWindows,
        @Size(max = 2000) String ignoreWindowsReason) {}
