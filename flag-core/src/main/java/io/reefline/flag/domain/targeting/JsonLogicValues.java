package io.reefline.flag.domain.targeting;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * JsonLogic's value rules, which are JavaScript's: truthiness, loose and strict equality, relational comparison and
 * number/string conversion. Rules written for flagd (and json-logic-js) rely on these exact coercions.
 */
public final class JsonLogicValues {

    /** Integers beyond 2^53 cannot round-trip through a JavaScript number; results stay doubles beyond it. */
    private static final double MAX_SAFE_INTEGER = 9_007_199_254_740_992d;

    private JsonLogicValues() {}

    /** JsonLogic truthiness: JavaScript's, except that an empty array is falsy. */
    public static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            return !s.isEmpty();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return d != 0 && !Double.isNaN(d);
        }
        if (value instanceof List<?> list) {
            return !list.isEmpty();
        }
        return true;
    }

    /** JavaScript's {@code Number(value)}: NaN where no number can be read. */
    public static double toNumber(Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof String s) {
            return parseNumber(s);
        }
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return 0;
            }
            return list.size() == 1 ? toNumber(list.get(0)) : Double.NaN;
        }
        return Double.NaN;
    }

    private static double parseNumber(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        try {
            return Double.parseDouble(trimmed);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * A computed number as JsonLogic results carry it: a {@code Long} when the value is a whole number a JavaScript
     * number can hold exactly (so {@code cat} prints {@code 3}, not {@code 3.0}), otherwise a {@code Double}.
     */
    public static Number number(double value) {
        if (value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER && !(value == 0 && 1 / value < 0)) {
            return (long) value;
        }
        return value;
    }

    /** JavaScript's {@code String(value)}, with {@code null} as the empty string as {@code cat} joins it. */
    public static String toText(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            Number n = number(((Number) value).doubleValue());
            return n instanceof Long ? n.toString() : formatDouble(n.doubleValue());
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    text.append(',');
                }
                text.append(toText(list.get(i)));
            }
            return text.toString();
        }
        if (value instanceof Map<?, ?>) {
            return "[object Object]";
        }
        return value.toString();
    }

    private static String formatDouble(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(value);
    }

    /** JavaScript's {@code ==}. */
    public static boolean looseEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (a instanceof Number || b instanceof Number || a instanceof Boolean || b instanceof Boolean) {
            if (a instanceof Boolean && b instanceof Boolean) {
                return a.equals(b);
            }
            if (isContainer(a) || isContainer(b)) {
                return looseEquals(primitive(a), primitive(b));
            }
            return toNumber(a) == toNumber(b);
        }
        if (a instanceof String && b instanceof String) {
            return a.equals(b);
        }
        if (isContainer(a) && isContainer(b)) {
            return a.equals(b);
        }
        return toText(a).equals(toText(b));
    }

    private static boolean isContainer(Object value) {
        return value instanceof List<?> || value instanceof Map<?, ?>;
    }

    private static Object primitive(Object value) {
        return isContainer(value) ? toText(value) : value;
    }

    /** JavaScript's {@code ===}, comparing numbers by value whatever their Java type. */
    public static boolean strictEquals(Object a, Object b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        return a.getClass() == b.getClass() && a.equals(b) || isContainer(a) && isContainer(b) && a.equals(b);
    }

    /**
     * JavaScript's abstract relational comparison: strings compare as strings, anything else as numbers. Returns a
     * negative number, zero or a positive number, or {@code null} when the values do not compare (NaN).
     */
    public static Integer compare(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return Integer.signum(x.compareTo(y));
        }
        double x = toNumber(primitive(a));
        double y = toNumber(primitive(b));
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return null;
        }
        return Double.compare(x == 0 ? 0 : x, y == 0 ? 0 : y);
    }

    /** Whether a number is integral in Java terms (kept apart from doubles, as flag values are). */
    public static boolean isIntegral(Object value) {
        return value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte
                || value instanceof BigInteger;
    }

    /** A non-negative list index, or -1 when the text is not one. */
    static int parseIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return -1;
        }
        int index = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        return index;
    }
}
