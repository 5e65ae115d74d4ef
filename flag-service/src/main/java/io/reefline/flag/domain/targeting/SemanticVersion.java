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
        if (text == null) {
            return Optional.empty();
        }
        String rest = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
        int buildAt = rest.indexOf('+');
        if (buildAt >= 0) {
            if (!identifiers(rest.substring(buildAt + 1), false)) {
                return Optional.empty();
            }
            rest = rest.substring(0, buildAt);
        }
        List<String> prerelease = List.of();
        int preAt = rest.indexOf('-');
        if (preAt >= 0) {
            String pre = rest.substring(preAt + 1);
            if (!identifiers(pre, true)) {
                return Optional.empty();
            }
            prerelease = List.of(pre.split("\\."));
            rest = rest.substring(0, preAt);
        }
        String[] core = rest.split("\\.", -1);
        boolean shorthand = core.length < 3;
        if (core.length > 3 || shorthand && (buildAt >= 0 || preAt >= 0)) {
            return Optional.empty();
        }
        long[] numbers = new long[3];
        for (int i = 0; i < core.length; i++) {
            if (!numeric(core[i]) || core[i].length() > 18) {
                return Optional.empty();
            }
            numbers[i] = Long.parseLong(core[i]);
        }
        return Optional.of(new SemanticVersion(numbers[0], numbers[1], numbers[2], prerelease));
    }

    private static boolean identifiers(String text, boolean prerelease) {
        if (text.isEmpty()) {
            return false;
        }
        for (String identifier : text.split("\\.", -1)) {
            if (identifier.isEmpty() || !identifier.chars().allMatch(SemanticVersion::identifierChar)) {
                return false;
            }
            if (prerelease && allDigits(identifier) && !numeric(identifier)) {
                return false;
            }
        }
        return true;
    }

    private static boolean identifierChar(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-';
    }

    private static boolean allDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A numeric identifier: digits without a leading zero. */
    private static boolean numeric(String text) {
        return allDigits(text) && (text.length() == 1 || text.charAt(0) != '0');
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
