package io.reefline.flag.rest;

import io.reefline.flag.persistence.FlagEnvironmentEntity;
import java.time.Instant;
import java.util.Map;

/**
 * How a flag is served in one environment.
 *
 * @param targetingKind none, structured or json-logic
 * @param targeting the structured form or the raw JsonLogic, as stored; null without targeting
 * @param uniformSince since when everyone here gets the same variant; null while targeting splits them
 * @param etag what {@code If-Match} must carry to change this configuration
 */
public record EnvironmentConfigView(
        String flagKey,
        String environment,
        boolean enabled,
        String defaultVariant,
        String targetingKind,
        Map<String, Object> targeting,
        Instant uniformSince,
        Instant updatedAt,
        String etag) {

    static EnvironmentConfigView of(FlagEnvironmentEntity config) {
        return new EnvironmentConfigView(
                config.flagKey,
                config.environmentKey,
                config.enabled,
                config.defaultVariant,
                config.targetingKind,
                config.targeting,
                config.uniformSince,
                config.updatedAt,
                config.etagValue());
    }
}
