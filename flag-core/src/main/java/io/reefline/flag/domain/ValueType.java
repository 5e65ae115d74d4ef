package io.reefline.flag.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;

/**
 * The type of a flag value. Whole numbers and floating-point numbers are told apart (OFREP answers integers without
 * and floats with a decimal point), but both are numbers when checking that a flag's variants share one type.
 */
public enum ValueType {
    BOOLEAN,
    STRING,
    INTEGER,
    FLOAT,
    OBJECT;

    /** The type of a value, or {@code null} for a value a flag cannot hold (null, arrays, other objects). */
    public static ValueType typeOf(Object value) {
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof String) {
            return STRING;
        }
        if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger) {
            return INTEGER;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            return FLOAT;
        }
        if (value instanceof Map<?, ?>) {
            return OBJECT;
        }
        return null;
    }

    public boolean isNumber() {
        return this == INTEGER || this == FLOAT;
    }

    /** Whether variants of these two types may live in the same flag. */
    public boolean sameKindAs(ValueType other) {
        return this == other || isNumber() && other != null && other.isNumber();
    }

    /** The flagd/OpenFeature name of the kind: boolean, string, number or object. */
    public String kind() {
        return isNumber() ? "number" : name().toLowerCase(Locale.ROOT);
    }
}
