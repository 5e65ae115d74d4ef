package io.reefline.flag.domain.targeting;

import java.util.List;
import java.util.Optional;

/**
 * A semantic version (semver.org 2.0.0) as flagd's {@code sem_ver} reads it (flagd issue #1873): an optional leading
 * {@code v} or {@code V}, and the {@code 1} and {@code 1.2} shorthands for {@code 1.0.0} and {@code 1.2.0}. Build
 * metadata is kept out of comparison, as semver requires.
 */
public record SemanticVersion(long major, long minor, long patch, List<String> prerelease)
        implements Comparable<SemanticVersion> {

    public SemanticVersion {
        prerelease = List.copyOf(prerelease);
    }

    /** The version the text denotes, or empty when it is not a valid semantic version. */
    public static Optional<SemanticVersion> parse(String text) {
        return Optional.ofNullable(parseOrNull(text));
    }

    /**
     * One pass over the text, without regular expressions or streams: versions are parsed on every evaluation of a
     * {@code sem_ver} rule, and the evaluation budget assumes a parse costs about as much as any other node.
     */
    static SemanticVersion parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        int length = text.length();
        int at = length > 0 && (text.charAt(0) == 'v' || text.charAt(0) == 'V') ? 1 : 0;
        long[] core = new long[3];
        int parts = 0;
        while (true) {
            int start = at;
            while (at < length && isDigit(text.charAt(at))) {
                at++;
            }
            int digits = at - start;
            if (digits == 0 || digits > 18 || digits > 1 && text.charAt(start) == '0') {
                return null;
            }
            core[parts++] = Long.parseLong(text, start, at, 10);
            if (parts < 3 && at < length && text.charAt(at) == '.') {
                at++;
                continue;
            }
            break;
        }
        List<String> prerelease = List.of();
        if (at < length && text.charAt(at) == '-') {
            int build = text.indexOf('+', at + 1);
            int end = build < 0 ? length : build;
            if (parts < 3 || !identifiers(text, at + 1, end, true)) {
                return null;
            }
            prerelease = split(text, at + 1, end);
            at = end;
        }
        if (at < length && text.charAt(at) == '+') {
            if (parts < 3 || !identifiers(text, at + 1, length, false)) {
                return null;
            }
            at = length;
        }
        return at == length ? new SemanticVersion(core[0], core[1], core[2], prerelease) : null;
    }

    /** Dot-separated identifiers in {@code text[from, to)}: none empty, [0-9A-Za-z-] only, numeric ones unpadded. */
    private static boolean identifiers(String text, int from, int to, boolean prerelease) {
        if (from >= to) {
            return false;
        }
        int start = from;
        boolean allDigits = true;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '.') {
                if (i == start || prerelease && allDigits && i - start > 1 && text.charAt(start) == '0') {
                    return false;
                }
                start = i + 1;
                allDigits = true;
            } else {
                char c = text.charAt(i);
                if (!identifierChar(c)) {
                    return false;
                }
                allDigits &= isDigit(c);
            }
        }
        return true;
    }

    private static List<String> split(String text, int from, int to) {
        List<String> identifiers = new java.util.ArrayList<>(2);
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || text.charAt(i) == '.') {
                identifiers.add(text.substring(start, i));
                start = i + 1;
            }
        }
        return identifiers;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean identifierChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-';
    }

    private static boolean allDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isDigit(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int order = Long.compare(major, other.major);
        if (order == 0) {
            order = Long.compare(minor, other.minor);
        }
        if (order == 0) {
            order = Long.compare(patch, other.patch);
        }
        return order != 0 ? order : comparePrerelease(prerelease, other.prerelease);
    }

    /** A version without pre-release identifiers ranks above one with them; identifiers compare one by one. */
    private static int comparePrerelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int order = compareIdentifier(a.get(i), b.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String a, String b) {
        boolean numericA = allDigits(a);
        boolean numericB = allDigits(b);
        if (numericA && numericB) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        if (numericA != numericB) {
            return numericA ? -1 : 1;
        }
        return Integer.signum(a.compareTo(b));
    }

    /** The comparison operators of {@code sem_ver}. */
    public enum Operator {
        EQUAL("="),
        NOT_EQUAL("!="),
        LESS("<"),
        LESS_OR_EQUAL("<="),
        GREATER(">"),
        GREATER_OR_EQUAL(">="),
        /** Same major version. */
        SAME_MAJOR("^"),
        /** Same major and minor version. */
        SAME_MINOR("~");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public static Optional<Operator> fromSymbol(Object symbol) {
            for (Operator operator : values()) {
                if (operator.symbol.equals(symbol)) {
                    return Optional.of(operator);
                }
            }
            return Optional.empty();
        }

        /** Whether {@code actual <operator> target} holds. */
        public boolean test(SemanticVersion actual, SemanticVersion target) {
            return switch (this) {
                case EQUAL -> actual.compareTo(target) == 0;
                case NOT_EQUAL -> actual.compareTo(target) != 0;
                case LESS -> actual.compareTo(target) < 0;
                case LESS_OR_EQUAL -> actual.compareTo(target) <= 0;
                case GREATER -> actual.compareTo(target) > 0;
                case GREATER_OR_EQUAL -> actual.compareTo(target) >= 0;
                case SAME_MAJOR -> actual.major == target.major;
                case SAME_MINOR -> actual.major == target.major && actual.minor == target.minor;
            };
        }
    }
}
