package io.reefline.flag.domain.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A flag's targeting: the JsonLogic it was written as (kept for export and display, with {@code $ref}s as written)
 * and the rule compiled from it. Two targetings are equal when they were written the same.
 */
public final class Targeting {

    private final JsonNode source;
    private final Rule rule;

    Targeting(JsonNode source, Rule rule) {
        this.source = source.deepCopy();
        this.rule = rule;
    }

    /** The JsonLogic as written; a copy, so the compiled rule and its source cannot drift apart. */
    public JsonNode source() {
        return source.deepCopy();
    }

    public Rule rule() {
        return rule;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Targeting that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source);
    }

    @Override
    public String toString() {
        return source.toString();
    }
}
