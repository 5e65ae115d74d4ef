package io.reefline.flag.domain.targeting;

import java.util.Optional;

/** flagd's custom operations: {@code fractional}, {@code sem_ver}, {@code starts_with} and {@code ends_with}. */
final class FlagdRules {

    static final String[] TARGETING_KEY = {"targetingKey"};
    static final String[] FLAG_KEY = {"$flagd", "flagKey"};

    /** flagd caps the sum of weights at the largest 32-bit signed integer. */
    static final long MAX_TOTAL_WEIGHT = Integer.MAX_VALUE;

    private FlagdRules() {}

    /** {@code starts_with} / {@code ends_with}: false unless both arguments are strings. */
    record StringAffix(Rule subject, Rule affix, boolean prefix) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            if (subject.evaluate(scope) instanceof String text && affix.evaluate(scope) instanceof String part) {
                return prefix ? text.startsWith(part) : text.endsWith(part);
            }
            return false;
        }
    }

    /** {@code sem_ver} with the operator and the target version known at compile time (the usual form). */
    record SemVerAgainst(Rule version, SemanticVersion.Operator operator, SemanticVersion target) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Optional<SemanticVersion> actual = parseVersion(version.evaluate(scope));
            return actual.isPresent() && operator.test(actual.get(), target);
        }
    }

    /** {@code sem_ver} whose operator or target is computed; false when either is not valid. */
    record SemVer(Rule version, Rule operator, Rule target) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Optional<SemanticVersion> actual = parseVersion(version.evaluate(scope));
            Optional<SemanticVersion.Operator> op = SemanticVersion.Operator.fromSymbol(operator.evaluate(scope));
            Optional<SemanticVersion> expected = parseVersion(target.evaluate(scope));
            return actual.isPresent()
                    && op.isPresent()
                    && expected.isPresent()
                    && op.get().test(actual.get(), expected.get());
        }
    }

    static Optional<SemanticVersion> parseVersion(Object value) {
        return value instanceof String text ? SemanticVersion.parse(text) : Optional.empty();
    }

    /**
     * {@code fractional}: hashes the bucketing value (by default {@code $flagd.flagKey + targetingKey}) with
     * MurmurHash3 and maps it onto the weights with {@code bucket = (hash * totalWeight) >>> 32}, as current flagd does.
     * Answers {@code null} (so the flag falls back to its default) when the input is unusable.
     */
    record Fractional(Rule bucketBy, Rule[] variants, Rule[] weights) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            String bucketValue = bucketValue(bucketBy, scope);
            if (bucketValue == null) {
                return null;
            }
            Object[] chosen = new Object[variants.length];
            long[] bounds = new long[variants.length];
            long total = 0;
            for (int i = 0; i < variants.length; i++) {
                Object variant = variants[i].evaluate(scope);
                long weight = weights[i] == null ? 1 : weight(weights[i].evaluate(scope));
                if (!isVariantName(variant) || weight < 0) {
                    return null;
                }
                total += weight;
                if (total > MAX_TOTAL_WEIGHT) {
                    return null;
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
            String bucketValue = bucketValue(bucketBy, scope);
            return bucketValue == null ? null : pick(bucketValue, variants, bounds, totalWeight);
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
                return text;
            }
            if (value != null) {
                return null;
            }
        }
        Scope root = scope.root();
        if (root.resolve(TARGETING_KEY) instanceof String targetingKey) {
            return JsonLogicValues.toText(root.resolve(FLAG_KEY)) + targetingKey;
        }
        return null;
    }

    private static Object pick(String bucketValue, Object[] variants, long[] bounds, long totalWeight) {
        if (totalWeight == 0) {
            return "";
        }
        long bucket = MurmurHash3.hashUnsigned(bucketValue) * totalWeight >>> 32;
        for (int i = 0; i < bounds.length; i++) {
            if (bucket < bounds[i]) {
                return variants[i];
            }
        }
        return "";
    }
}
