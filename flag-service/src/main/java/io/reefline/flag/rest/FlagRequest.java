package io.reefline.flag.rest;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;

/**
 * A flag to create ({@code POST /api/flags}, {@code key} required) or its new description ({@code PUT
 * /api/flags/{key}}, {@code key} optional and must match the path).
 *
 * @param type boolean, string, number or object; every variant must be of it
 * @param variants variant name to value, e.g. {@code {"on": true, "off": false}}
 * @param defaultVariant the variant a new environment starts with
 * @param owner who answers for the flag; the caller when absent
 * @param expectedRemoval when the flag should be gone (the stale-flag report lists it after this day)
 */
public record FlagRequest(
        String key,
        @NotBlank @Size(max = 200) String name,
        @Size(max = 20000) String notes,
        @NotBlank String type,
        @NotNull JsonNode variants,
        @NotBlank @Size(max = 200) String defaultVariant,
        @Size(max = 200) String owner,
        LocalDate expectedRemoval,
        JsonNode metadata) {}
