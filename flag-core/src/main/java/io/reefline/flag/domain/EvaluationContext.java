package io.reefline.flag.domain;

import java.util.Collections;
import java.util.Map;

/**
 * What an evaluation knows about its subject: the targeting key (OpenFeature's, exposed to targeting as
 * {@code targetingKey}) and the other attributes. The attribute map is wrapped, not copied, to keep the hot path
 * cheap; callers must not change it while an evaluation runs.
 */
public record EvaluationContext(String targetingKey, Map<String, Object> attributes) {

    public static final String TARGETING_KEY = "targetingKey";

    public static final EvaluationContext EMPTY = new EvaluationContext(null, Map.of());

    public EvaluationContext {
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(attributes);
    }

    /** A context from an OFREP/flagd context object, whose {@code targetingKey} entry is the targeting key. */
    public static EvaluationContext of(Map<String, Object> context) {
        Object key = context.get(TARGETING_KEY);
        return new EvaluationContext(key instanceof String text ? text : null, context);
    }

    /** The targeting key, falling back to a {@code targetingKey} attribute. */
    public Object targetingKeyValue() {
        return targetingKey != null ? targetingKey : attributes.get(TARGETING_KEY);
    }
}
