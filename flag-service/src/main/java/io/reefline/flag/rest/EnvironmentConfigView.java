package io.reefline.flag.rest;

import io.reefline.flag.persistence.FlagEnvironmentEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a flag is served in one environment.
 *
 * @param variants this environment's variants
 * @param metadata the flag's metadata as this environment's flagd file gave it; null when the flag's own applies
 * @param declared false only for the disabled placeholder a flagd import into another environment made here; such a
 *     flag is not in this environment's flagd export until it is configured here
 * @param targetingKind none, structured or json-logic
 * @param targeting the structured form or the raw JsonLogic, as stored; null without targeting
 * @param uniformSince since when everyone here gets the same variant; null while targeting splits them
 * @param warnings what flagd would load but is probably a mistake: [{path, message}], paths relative to the flag
 * @param etag what {@code If-Match} must carry to change this configuration
 */
public record EnvironmentConfigView(
        String flagKey,
        String environment,
        boolean enabled,
        Map<String, Object> variants,
        String defaultVariant,
        Map<String, Object> metadata,
        boolean declared,
        String targetingKind,
        Map<String, Object> targeting,
        List<Map<String, String>> warnings,
        Instant uniformSince,
        Instant updatedAt,
        String etag) {

    static EnvironmentConfigView of(FlagEnvironmentEntity config) {
        return new EnvironmentConfigView(
                config.flagKey,
                config.environmentKey,
                config.enabled,
                config.variants,
                config.defaultVariant,
                config.metadata,
                config.declared,
                config.targetingKind,
                config.targeting,
                config.warnings,
                config.uniformSince,
                config.updatedAt,
                config.etagValue());
    }
}
