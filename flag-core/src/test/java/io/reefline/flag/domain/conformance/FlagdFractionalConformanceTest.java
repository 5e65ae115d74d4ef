package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Reason;
import io.reefline.flag.domain.targeting.MurmurHash3;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's {@code fractional} with its current bucketing, {@code (unsigned murmur3 * totalWeight) >> 32}
 * (flagd-testbed {@code targeting.feature} "@fractional" scenarios, examples "v2", {@code flags/custom-ops.json}).
 * Weights that are all zero, negative weights and a missing bucketing value are in
 * {@link FlagdOperatorErrorsConformanceTest}.
 */
class FlagdFractionalConformanceTest {

    private static final String SUITS = """
            "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades",
                         "wild": "wild"},
            "defaultVariant": "wild"
            """;

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "fractional-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}},
                "fractional-flag-shorthand": {"state": "ENABLED",
                  "variants": {"heads": "heads", "tails": "tails", "draw": "draw"}, "defaultVariant": "draw",
                  "targeting": {"fractional": [["heads"], ["tails", 1]]}},
                "fractional-single-entry-flag": {"state": "ENABLED",
                  "variants": {"single": "single", "fallback": "fallback"}, "defaultVariant": "fallback",
                  "targeting": {"fractional": [["single", 1]]}},
                "fractional-flag-A-shared-seed": {"state": "ENABLED", %1$s,
                  "targeting": {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}},
                "fractional-flag-B-shared-seed": {"state": "ENABLED",
                  "variants": {"clubs": "ace-of-clubs", "diamonds": "ace-of-diamonds", "hearts": "ace-of-hearts",
                               "spades": "ace-of-spades", "wild": "wild"},
                  "defaultVariant": "wild",
                  "targeting": {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}},
                "fractional-hash-edge-flag": {"state": "ENABLED", "variants": {"lower": "lower", "upper": "upper"},
                  "defaultVariant": "lower",
                  "targeting": {"fractional": [{"var": "targetingKey"}, ["lower", 50], ["upper", 50]]}},
                "fractional-nested-if-flag": {"state": "ENABLED",
                  "variants": {"premium": "premium", "standard": "standard", "fallback": "fallback"},
                  "defaultVariant": "fallback",
                  "targeting": {"fractional": [{"var": "targetingKey"},
                    [{"if": [{"==": [{"var": "tier"}, "premium"]}, "premium", "standard"]}, 50],
                    ["standard", 50]]}},
                "fractional-nested-var-flag": {"state": "ENABLED",
                  "variants": {"red": "red", "green": "green", "blue": "blue", "fallback": "fallback"},
                  "defaultVariant": "fallback",
                  "targeting": {"fractional": [{"var": "targetingKey"}, [{"var": "color"}, 50], ["blue", 50]]}},
                "fractional-nested-weight-flag": {"state": "ENABLED",
                  "variants": {"red": "red", "blue": "blue", "fallback": "fallback"}, "defaultVariant": "fallback",
                  "targeting": {"fractional": [{"var": "targetingKey"},
                    ["red", {"if": [{"==": [{"var": "tier"}, "premium"]}, 100, 0]}], ["blue", 10]]}},
                "fractional-as-condition-flag": {"state": "ENABLED",
                  "variants": {"big": "hundreds", "small": "ones", "fallback": "zero"}, "defaultVariant": "fallback",
                  "targeting": {"if": [{"fractional": [[false, 0], [true, 100]]}, "big", "small"]}},
                "fractional-as-condition-false-flag": {"state": "ENABLED",
                  "variants": {"big": "hundreds", "small": "ones", "fallback": "zero"}, "defaultVariant": "fallback",
                  "targeting": {"if": [{"fractional": [[false, 100], [true, 0]]}, "big", "small"]}},
                "tenant-split-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "tenant"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}}
              }
            }
            """.formatted(SUITS));

    /** "Fractional operator", v2 examples. */
    @ParameterizedTest
    @CsvSource({"jack, hearts", "queen, spades", "ten, clubs", "nine, diamonds", "3, clubs"})
    void shouldBucketByTheFlagKeyAndANestedProperty(String name, String expected) {
        assertEquals(expected, SUITE.evaluate("fractional-flag", user(name)).value());
    }

    /** "Fractional operator shorthand", v2 examples: flag key + targeting key, omitted weight 1. */
    @ParameterizedTest
    @CsvSource({"jon@company.com, heads", "jane@company.com, tails"})
    void shouldBucketByFlagKeyAndTargetingKeyByDefault(String targetingKey, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("fractional-flag-shorthand", "targetingKey", targetingKey)
                        .value());
    }

    /** "Fractional operator with single entry always resolves to the only variant". */
    @Test
    void shouldResolveASingleEntryToItsVariant() {
        assertEquals(
                "single",
                SUITE.evaluate("fractional-single-entry-flag", "targetingKey", "some-targeting-key")
                        .value());
    }

    /** "Fractional operator with shared seed" and its second flag, v2 examples. */
    @ParameterizedTest
    @CsvSource({"seven, hearts", "eight, diamonds", "nine, clubs", "two, spades"})
    void shouldBucketTwoFlagsWithASharedSeedAlike(String name, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("fractional-flag-A-shared-seed", user(name)).value());
        assertEquals(
                "ace-of-" + expected,
                SUITE.evaluate("fractional-flag-B-shared-seed", user(name)).value());
    }

    /** "Fractional operator hash edge cases": hashes 0, 1, 2^31-1, 2^31 and 2^32-1. */
    @ParameterizedTest
    @CsvSource({"ejOoVL, lower", "bY9fO-, lower", "SI7p-, lower", "6LvT0, upper", "ceQdGm, upper"})
    void shouldPlaceTheHashBoundariesLikeFlagd(String targetingKey, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("fractional-hash-edge-flag", "targetingKey", targetingKey)
                        .value());
    }

    /** "Fractional operator with nested if expression as variant name". */
    @ParameterizedTest
    @CsvSource({
        "jon@company.com, premium, premium",
        "jon@company.com, basic, standard",
        "user1, premium, standard",
        "user1, basic, standard",
    })
    void shouldComputeVariantNamesWithIf(String targetingKey, String tier, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("fractional-nested-if-flag", Map.of("targetingKey", targetingKey, "tier", tier))
                        .value());
    }

    /** "Fractional operator with nested var expression as variant name"; an unknown or empty name falls back. */
    @ParameterizedTest
    @CsvSource({
        "jon@company.com, red, red",
        "jon@company.com, green, green",
        "user1, red, blue",
        "jon@company.com, yellow, fallback",
        "jon@company.com, '', fallback",
    })
    void shouldComputeVariantNamesWithVar(String targetingKey, String color, String expected) {
        EvaluationResult result =
                SUITE.evaluate("fractional-nested-var-flag", Map.of("targetingKey", targetingKey, "color", color));

        assertEquals(expected, FlagdSuite.resolvedValue(result, "fallback"));
    }

    /** "Fractional operator with nested if expression as weight". */
    @ParameterizedTest
    @CsvSource({
        "jon@company.com, premium, red",
        "jon@company.com, basic, blue",
        "user1, premium, red",
        "user1, basic, blue",
    })
    void shouldComputeWeights(String targetingKey, String tier, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("fractional-nested-weight-flag", Map.of("targetingKey", targetingKey, "tier", tier))
                        .value());
    }

    /** "Fractional as condition" and "... evaluates false path". */
    @Test
    void shouldServeBooleanBucketsAsConditions() {
        assertEquals(
                "hundreds",
                SUITE.evaluate("fractional-as-condition-flag", "targetingKey", "some-targeting-key")
                        .value());
        assertEquals(
                "ones",
                SUITE.evaluate("fractional-as-condition-false-flag", "targetingKey", "some-targeting-key")
                        .value());
    }

    /**
     * {@code cat} turns a missing variable into the empty string (JsonLogic), so bucketing by {@code flagKey +
     * tenant} without a tenant hashes the flag key alone, exactly as flagd does; it neither falls back to the
     * targeting key nor fails.
     */
    @Test
    void shouldBucketAMissingCatVariableAsTheEmptyString() {
        String[] quarters = {"clubs", "diamonds", "hearts", "spades"};
        long bucket = (MurmurHash3.hashUnsigned("tenant-split-flag") * 100) >>> 32;
        String expected = quarters[(int) (bucket / 25)];

        for (String targetingKey : new String[] {"user-1", "user-2", "user-3"}) {
            EvaluationResult result = SUITE.evaluate("tenant-split-flag", "targetingKey", targetingKey);
            assertEquals(expected, result.value());
            assertEquals(Reason.TARGETING_MATCH, result.reason());
        }
        assertEquals(
                SUITE.evaluate("tenant-split-flag", "tenant", "").value(),
                SUITE.evaluate("tenant-split-flag").value());
        assertNotEquals(
                expected,
                SUITE.evaluate("tenant-split-flag", "tenant", "acme").value(),
                "a tenant that happens to share the bucket would make this test meaningless");
    }

    private static Map<String, Object> user(String name) {
        Map<String, Object> context = new HashMap<>();
        context.put("user", Map.of("name", name));
        return context;
    }
}
