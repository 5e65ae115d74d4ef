package io.reefline.flag.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.service.StructuredTargetingForm;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/**
 * How a flag is served in one environment. At most one of {@code structured} (the editor's form) and {@code
 * jsonLogic} (raw flagd targeting, which may {@code $ref} the environment's shared evaluators); neither means every
 * subject gets {@code defaultVariant}. {@code variants}, when given, replaces this environment's variants (values of
 * the flag's type); absent, they stay as they are.
 */
public record EnvironmentConfigRequest(
        @NotNull Boolean enabled,
        @NotBlank String defaultVariant,
        StructuredTargetingForm structured,
        JsonNode jsonLogic,
        JsonNode variants) {

    public EnvironmentConfigRequest(
            Boolean enabled, String defaultVariant, StructuredTargetingForm structured, JsonNode jsonLogic) {
        this(enabled, defaultVariant, structured, jsonLogic, null);
    }
}
