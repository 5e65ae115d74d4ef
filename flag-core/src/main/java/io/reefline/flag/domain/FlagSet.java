package io.reefline.flag.domain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of flags as one flagd file holds them: the flags, the shared evaluators their targeting may {@code $ref}
 * (kept as written, for export; references are already resolved inside each flag's compiled targeting), and the
 * set's metadata, which each flag's metadata overrides.
 */
public record FlagSet(
        Map<String, FlagDefinition> flags, Map<String, JsonNode> sharedEvaluators, Map<String, Object> metadata) {

    public FlagSet {
        Map<String, FlagDefinition> byKey = new LinkedHashMap<>();
        flags.forEach((key, flag) -> {
            if (!key.equals(flag.key())) {
                throw new IllegalArgumentException("flag " + flag.key() + " is filed under key " + key);
            }
            byKey.put(key, flag);
        });
        flags = Collections.unmodifiableMap(byKey);
        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        sharedEvaluators.forEach((name, rule) -> evaluators.put(name, rule.deepCopy()));
        sharedEvaluators = Collections.unmodifiableMap(evaluators);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A set of the given flags, without shared evaluators or set metadata. */
    public static FlagSet of(List<FlagDefinition> flags) {
        Map<String, FlagDefinition> byKey = new LinkedHashMap<>();
        flags.forEach(flag -> byKey.put(flag.key(), flag));
        return new FlagSet(byKey, Map.of(), Map.of());
    }
}
