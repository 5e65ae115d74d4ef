package io.reefline.metrics.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** A commit CI (or the GitHub webhook) saw; {@code id} is the event id, {@code sha} names the commit. */
public record CommitEvent(
        @NotBlank @Size(max = 100) String id,

        @NotNull @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a hexadecimal commit SHA")
        String sha,

        @NotBlank @Size(max = 200) String repository,
        @Size(max = 200) String author,
        @NotNull Instant committedAt) {}
