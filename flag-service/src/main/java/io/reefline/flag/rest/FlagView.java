package io.reefline.flag.rest;

import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A flag as the API shows it, with how it is served in each environment. {@code variants} and {@code defaultVariant}
 * are what a new environment starts with; each environment's own are in {@code environments}.
 */
public record FlagView(
        String key,
        String name,
        String notes,
        String type,
        Map<String, Object> variants,
        String defaultVariant,
        Map<String, Object> metadata,
        String owner,
        Instant createdAt,
        LocalDate expectedRemoval,
        String etag,
        List<EnvironmentConfigView> environments) {

    static FlagView of(FlagEntity flag, List<FlagEnvironmentEntity> configs) {
        return new FlagView(
                flag.key,
                flag.name,
                flag.notes,
                flag.type,
                flag.variants,
                flag.defaultVariant,
                flag.metadata,
                flag.owner,
                flag.createdAt,
                flag.expectedRemoval,
                flag.etagValue(),
                configs.stream().map(EnvironmentConfigView::of).toList());
    }
}
