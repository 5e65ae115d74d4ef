package io.reefline.flag.ofrep;

import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import java.util.Set;

/**
 * The flags of one environment, ready to evaluate.
 *
 * @param bucketedByTargetingKey the flags whose fractional split buckets by the targeting key, so a context without
 *     one gets {@code TARGETING_KEY_MISSING} rather than a silent default
 */
public record EnvironmentFlags(
        String environment, FlagSnapshot snapshot, Evaluator evaluator, Set<String> bucketedByTargetingKey) {

    public EnvironmentFlags {
        bucketedByTargetingKey = Set.copyOf(bucketedByTargetingKey);
    }
}
