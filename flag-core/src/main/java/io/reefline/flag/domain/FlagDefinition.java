package io.reefline.flag.domain;

import io.reefline.flag.domain.targeting.Targeting;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One flag as flagd defines it: its variants (all of one kind), the variant served by default (absent means "use
 * the caller's code default"), optional compiled targeting, and metadata.
 *
 * @param key unique flag key
 * @param state whether the flag is served
 * @param variants variant name to value (Boolean, String, Long, Double or an object as a Map), in definition order
 * @param defaultVariant the variant served when targeting selects nothing; {@code null} for the code default
 * @param targeting compiled targeting; {@code null} when the flag has none (it then evaluates STATIC)
 * @param metadata flag metadata (strings, numbers, booleans)
 */
public record FlagDefinition(
        String key,
        FlagState state,
        Map<String, Object> variants,
        String defaultVariant,
        Targeting targeting,
        Map<String, Object> metadata) {

    public FlagDefinition {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        if (variants == null || variants.isEmpty()) {
            throw new IllegalArgumentException("flag " + key + " needs at least one variant");
        }
        if (defaultVariant != null && !variants.containsKey(defaultVariant)) {
            throw new IllegalArgumentException(
                    "default variant '" + defaultVariant + "' of flag " + key + " is not one of its variants");
        }
        ValueType kind = null;
        for (Map.Entry<String, Object> variant : variants.entrySet()) {
            ValueType type = ValueType.typeOf(variant.getValue());
            if (type == null || kind != null && !kind.sameKindAs(type)) {
                throw new IllegalArgumentException("variants of flag " + key + " must all be booleans, strings,"
                        + " numbers or objects; '" + variant.getKey() + "' is not");
            }
            kind = kind == null ? type : kind;
        }
        variants = Collections.unmodifiableMap(new LinkedHashMap<>(variants));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The kind of the flag's values: boolean, string, number or object (numbers report the first variant's type). */
    public ValueType type() {
        return ValueType.typeOf(variants.values().iterator().next());
    }

    public boolean hasTargeting() {
        return targeting != null;
    }

    public FlagDefinition withState(FlagState newState) {
        return new FlagDefinition(key, newState, variants, defaultVariant, targeting, metadata);
    }

    public FlagDefinition withTargeting(Targeting newTargeting) {
        return new FlagDefinition(key, state, variants, defaultVariant, newTargeting, metadata);
    }
}
