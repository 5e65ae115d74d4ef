package io.reefline.flag.domain.targeting;

import java.util.Optional;

/**
 * flagd's custom operations: {@code fractional}, {@code sem_ver}, {@code starts_with} and {@code ends_with}. As in
 * flagd (issue #1874), an operation given input it cannot use answers {@code null}, and that null is the answer of the
 * whole targeting: the flag falls back to its default variant with reason DEFAULT, never taking the "false" branch of
 * an {@code if} (or being negated by {@code !}, or skipped by {@code or}). It is signalled with
 * {@link UnusableOperands}, which the root of every compiled targeting turns into {@code null}.
 */
final class FlagdRules {

    /** A flagd operation whose arguments can never be used (a wrong number of them, an invalid literal). */
    static final Rule UNUSABLE = scope -> {
        throw UnusableOperands.INSTANCE;
    };

    /**
     * An operation's input could not be used; the targeting answers null. Preallocated and without a stack trace: it
     * is a result, not a fault, and may happen on every evaluation of a flag.
     */
    static final class UnusableOperands extends RuntimeException {
        static final UnusableOperands INSTANCE = new UnusableOperands();

        private UnusableOperands() {
            super("an operation could not use its input", null, false, false);
        }
    }

    /** The root of compiled targeting: an operation that could not use its input makes the whole targeting null. */
    record Root(Rule rule) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            try {
                return rule.evaluate(scope);
            } catch (UnusableOperands e) {
                return null;
            }
        }
    }

    static final String[] TARGETING_KEY = {"targetingKey"};
    static final String[] FLAG_KEY = {"$flagd", "flagKey"};

    /** flagd caps the sum of weights at the largest 32-bit signed integer. */
    static final long MAX_TOTAL_WEIGHT = Integer.MAX_VALUE;

    private FlagdRules() {}

    /** {@code starts_with} / {@code ends_with}: unusable unless both arguments are strings. */
    record StringAffix(Rule subject, Rule affix, boolean prefix) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            if (subject.evaluate(scope) instanceof String text && affix.evaluate(scope) instanceof String part) {
                return prefix ? text.startsWith(part) : text.endsWith(part);
            }
            throw UnusableOperands.INSTANCE;
        }
    }

    /** {@code sem_ver} with the operator and the target version known at compile time (the usual form). */
    record SemVerAgainst(Rule version, SemanticVersion.Operator operator, SemanticVersion target) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            SemanticVersion actual = versionOrNull(version.evaluate(scope));
            if (actual == null) {
                throw UnusableOperands.INSTANCE;
            }
            return operator.test(actual, target);
        }
    }

    /** {@code sem_ver} whose operator or target is computed; unusable when either is not valid. */
    record SemVer(Rule version, Rule operator, Rule target) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Optional<SemanticVersion> actual = parseVersion(version.evaluate(scope));
            Optional<SemanticVersion.Operator> op = SemanticVersion.Operator.fromSymbol(operator.evaluate(scope));
            Optional<SemanticVersion> expected = parseVersion(target.evaluate(scope));
            if (actual.isEmpty() || op.isEmpty() || expected.isEmpty()) {
                throw UnusableOperands.INSTANCE;
            }
            return op.get().test(actual.get(), expected.get());
        }
    }

    /**
     * A version from a string, or from a number as flagd reads one (issue #1873): printed as JavaScript prints it,
     * so {@code 2} is {@code 2.0.0} and {@code 1.2} is {@code 1.2.0}.
     */
    static Optional<SemanticVersion> parseVersion(Object value) {
        return Optional.ofNullable(versionOrNull(value));
    }

    private static SemanticVersion versionOrNull(Object value) {
        if (value instanceof String text) {
            return SemanticVersion.parseOrNull(text);
        }
        if (value instanceof Number number) {
            return SemanticVersion.parseOrNull(JsonLogicValues.toText(number));
        }
        return null;
    }

    /**
     * {@code fractional}: hashes the bucketing value (by default {@code $flagd.flagKey + targetingKey}) with
     * MurmurHash3 and maps it onto the weights with {@code bucket = (hash * totalWeight) >>> 32}, as current flagd does.
     * Answers {@code null} (the targeting's answer, see above) when the input is unusable: no bucketing value and
     * no targeting key, a variant that is not a string, boolean, number or null, a weight that is not a whole number,
     * a total beyond 2^31-1, or weights that are all zero. A negative weight counts as zero.
     */
    record Fractional(Rule bucketBy, Rule[] variants, Rule[] weights) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            String bucketValue = bucketValue(bucketBy, scope);
            Object[] chosen = new Object[variants.length];
            long[] bounds = new long[variants.length];
            long total = 0;
            for (int i = 0; i < variants.length; i++) {
                Object variant = variants[i].evaluate(scope);
                long weight = weights[i] == null ? 1 : weight(weights[i].evaluate(scope));
                if (!isVariantName(variant) || weight < 0) {
                    throw UnusableOperands.INSTANCE;
                }
                total += weight;
                if (total > MAX_TOTAL_WEIGHT) {
                    throw UnusableOperands.INSTANCE;
                }
                chosen[i] = variant;
                bounds[i] = total;
            }
            return pick(bucketValue, chosen, bounds, total);
        }
    }

    /** {@code fractional} whose variants and weights are all literals: the cumulative bounds are computed once. */
    record FixedFractional(Rule bucketBy, Object[] variants, long[] bounds, long totalWeight) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return pick(bucketValue(bucketBy, scope), variants, bounds, totalWeight);
        }
    }

    static boolean isVariantName(Object variant) {
        return variant == null || variant instanceof String || variant instanceof Boolean || variant instanceof Number;
    }

    /** A weight as flagd reads it: absent means 1, negative is clamped to 0, a fraction or non-number is invalid. */
    static long weight(Object value) {
        if (value == null) {
            return 1;
        }
        if (!(value instanceof Number number)) {
            return -1;
        }
        double weight = number.doubleValue();
        if (weight != Math.rint(weight) || weight > MAX_TOTAL_WEIGHT) {
            return -1;
        }
        return Math.max(0, (long) weight);
    }

    private static String bucketValue(Rule bucketBy, Scope scope) {
        if (bucketBy != null) {
            Object value = bucketBy.evaluate(scope);
            if (value instanceof String text) {
                scope.spend(text.length() >> 4);
                return text;
            }
            if (value != null) {
                throw UnusableOperands.INSTANCE;
            }
        }
        Scope root = scope.root();
        if (root.resolve(TARGETING_KEY) instanceof String targetingKey) {
            scope.spend(targetingKey.length() >> 4);
            return JsonLogicValues.toText(root.resolve(FLAG_KEY)) + targetingKey;
        }
        throw UnusableOperands.INSTANCE;
    }

    private static Object pick(String bucketValue, Object[] variants, long[] bounds, long totalWeight) {
        if (totalWeight == 0) {
            throw UnusableOperands.INSTANCE;
        }
        long bucket = MurmurHash3.hashUnsigned(bucketValue) * totalWeight >>> 32;
        for (int i = 0; i < bounds.length; i++) {
            if (bucket < bounds[i]) {
                return variants[i];
            }
        }
        return null;
    }
}
