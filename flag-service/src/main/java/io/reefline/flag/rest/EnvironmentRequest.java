package io.reefline.flag.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** An environment's display name, e.g. "Production". */
public record EnvironmentRequest(@NotBlank @Size(max = 200) String name) {}
