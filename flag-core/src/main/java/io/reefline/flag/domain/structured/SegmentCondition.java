package io.reefline.flag.domain.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.targeting.SemanticVersion;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;

/**
 * One test of a context attribute (a dotted path such as {@code region} or {@code usage.seats}), compiled to
 * flagd-compatible JsonLogic.
 */
public record SegmentCondition(String attribute, SegmentOperator operator, List<Object> values) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public SegmentCondition {
        Objects.requireNonNull(attribute, "attribute");
        Objects.requireNonNull(operator, "operator");
        values = List.copyOf(values);
        if (attribute.isBlank()) {
            throw new IllegalArgumentException("a condition needs an attribute");
        }
        int count = operator.valueCount();
        if (count < 0 ? values.isEmpty() : values.size() != count) {
            throw new IllegalArgumentException(
                    operator + " takes " + (count < 0 ? "one or more values" : count + " value") + ", got " + values);
        }
        validate(operator, values.get(0));
    }

    public static SegmentCondition of(String attribute, SegmentOperator operator, Object... values) {
        return new SegmentCondition(attribute, operator, List.of(values));
    }

    private static void validate(SegmentOperator operator, Object value) {
        switch (operator) {
            case LESS_THAN, LESS_OR_EQUAL, GREATER_THAN, GREATER_OR_EQUAL -> {
                if (!(value instanceof Number)) {
                    throw new IllegalArgumentException(operator + " compares with a number, not " + value);
                }
            }
            case STARTS_WITH, ENDS_WITH -> {
                if (!(value instanceof String)) {
                    throw new IllegalArgumentException(operator + " compares with text, not " + value);
                }
            }
            case BEFORE, AFTER -> instant(value);
            case SEMVER_EQUAL,
                    SEMVER_LESS_THAN,
                    SEMVER_LESS_OR_EQUAL,
                    SEMVER_GREATER_THAN,
                    SEMVER_GREATER_OR_EQUAL,
                    SEMVER_SAME_MAJOR,
                    SEMVER_SAME_MINOR -> {
                if (!(value instanceof String text)
                        || SemanticVersion.parse(text).isEmpty()) {
                    throw new IllegalArgumentException(operator + " compares with a semantic version, not " + value);
                }
            }
            default -> {}
        }
    }

    /** A date given as epoch seconds, an ISO-8601 instant or an ISO-8601 date (midnight UTC). */
    static Instant instant(Object value) {
        if (value instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (value instanceof String text) {
            try {
                return text.length() == 10
                        ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant()
                        : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 date or instant: " + text, e);
            }
        }
        throw new IllegalArgumentException("a date is ISO-8601 text or epoch seconds, not " + value);
    }

    /** This condition as JsonLogic. */
    public JsonNode toJsonLogic() {
        Object value = values.get(0);
        return switch (operator) {
            case EQUALS -> operation("==", variable(), FlagValues.toJson(value));
            case IN -> operation("in", variable(), FlagValues.toJson(values));
            case NOT_IN -> operation("!", operation("in", variable(), FlagValues.toJson(values)));
            case STARTS_WITH -> present(operation("starts_with", text(), FlagValues.toJson(value)));
            case ENDS_WITH -> present(operation("ends_with", text(), FlagValues.toJson(value)));
            case LESS_THAN -> present(operation("<", variable(), FlagValues.toJson(value)));
            case LESS_OR_EQUAL -> present(operation("<=", variable(), FlagValues.toJson(value)));
            case GREATER_THAN -> present(operation(">", variable(), FlagValues.toJson(value)));
            case GREATER_OR_EQUAL -> present(operation(">=", variable(), FlagValues.toJson(value)));
            case BEFORE -> present(date("<", instant(value)));
            case AFTER -> present(date(">", instant(value)));
            case SEMVER_EQUAL -> semVer("=", value);
            case SEMVER_LESS_THAN -> semVer("<", value);
            case SEMVER_LESS_OR_EQUAL -> semVer("<=", value);
            case SEMVER_GREATER_THAN -> semVer(">", value);
            case SEMVER_GREATER_OR_EQUAL -> semVer(">=", value);
            case SEMVER_SAME_MAJOR -> semVer("^", value);
            case SEMVER_SAME_MINOR -> semVer("~", value);
        };
    }

    private JsonNode variable() {
        return NODES.objectNode().put("var", attribute);
    }

    /** JsonLogic compares a missing value as 0 or "", so comparisons first require the attribute to be there. */
    private JsonNode present(JsonNode comparison) {
        ArrayNode missing = NODES.arrayNode().add(attribute);
        return operation("and", operation("!", operation("missing", missing)), comparison);
    }

    /**
     * Dates arrive as epoch seconds or ISO-8601 text; plain JsonLogic compares numbers with numbers and text with
     * text (an ISO-8601 UTC instant sorts by time), so both comparisons are written and either may hold.
     */
    private JsonNode date(String comparison, Instant at) {
        return operation(
                "or",
                operation(comparison, variable(), NODES.numberNode(at.getEpochSecond())),
                operation(comparison, variable(), NODES.textNode(at.toString())));
    }

    /**
     * flagd's operations make the whole targeting null (the flag's default) when their input is unusable, so a
     * segment must not hand them a missing attribute: the condition would then end every later rule too. A version
     * that is present but not a version still does (as flagd evaluates the exported JsonLogic).
     */
    private JsonNode semVer(String symbol, Object version) {
        return present(operation("sem_ver", variable(), NODES.textNode(symbol), FlagValues.toJson(version)));
    }

    /** The attribute as text ({@code cat}), so {@code starts_with}/{@code ends_with} also read numbers as flagd prints them. */
    private JsonNode text() {
        return operation("cat", variable());
    }

    static ObjectNode operation(String name, JsonNode... args) {
        ObjectNode node = NODES.objectNode();
        if (args.length == 1 && !args[0].isArray()) {
            node.set(name, args[0]);
        } else {
            ArrayNode array = node.putArray(name);
            for (JsonNode arg : args) {
                array.add(arg);
            }
        }
        return node;
    }
}
