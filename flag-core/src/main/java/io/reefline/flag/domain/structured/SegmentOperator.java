package io.reefline.flag.domain.structured;

/** How a segment condition compares a context attribute with its values. */
public enum SegmentOperator {
    EQUALS(1),
    IN(-1),
    NOT_IN(-1),
    STARTS_WITH(1),
    ENDS_WITH(1),
    LESS_THAN(1),
    LESS_OR_EQUAL(1),
    GREATER_THAN(1),
    GREATER_OR_EQUAL(1),
    /** The attribute is a date (ISO-8601 text or epoch seconds) before the value. */
    BEFORE(1),
    /** The attribute is a date (ISO-8601 text or epoch seconds) after the value. */
    AFTER(1),
    SEMVER_EQUAL(1),
    SEMVER_LESS_THAN(1),
    SEMVER_LESS_OR_EQUAL(1),
    SEMVER_GREATER_THAN(1),
    SEMVER_GREATER_OR_EQUAL(1),
    /** Same major version (flagd's {@code ^}). */
    SEMVER_SAME_MAJOR(1),
    /** Same major and minor version (flagd's {@code ~}). */
    SEMVER_SAME_MINOR(1);

    private final int valueCount;

    SegmentOperator(int valueCount) {
        this.valueCount = valueCount;
    }

    /** How many values the operator takes; -1 for one or more. */
    int valueCount() {
        return valueCount;
    }
}
