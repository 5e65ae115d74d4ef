package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.ErrorCode;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Json;
import io.reefline.flag.domain.Reason;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * flagd's errors and edge cases (flagd issue #1874; flagd-testbed {@code targeting.feature} "Errors and edge cases",
 * "Custom operator errors return null ...", {@code flags/edge-case-flags.json}): flagd's operations given input they
 * cannot use answer null, so an {@code if} on them falls back to the default variant with reason DEFAULT instead of
 * taking the "false" branch.
 */
class FlagdOperatorErrorsConformanceTest {

    private static final String FALLBACK_FLAGS = """
            "variants": {"true": "true", "false": "false", "fallback": "fallback"}, "defaultVariant": "fallback"
            """;

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "targeting-null-variant-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
                  "defaultVariant": "two", "targeting": {"if": [true, null, "one"]}},
                "missing-variant-targeting-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
                  "defaultVariant": "two", "targeting": {"if": [true, "three", "one"]}},
                "non-string-variant-targeting-flag": {"state": "ENABLED", "variants": {"false": 1, "true": 2},
                  "defaultVariant": "false", "targeting": {"if": [true, true, false]}},
                "empty-targeting-flag": {"state": "ENABLED", "variants": {"false": 1, "true": 2},
                  "defaultVariant": "false", "targeting": {}},
                "semver-invalid-version-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "1.0.0"]}, "true", "false"]}},
                "semver-invalid-operator-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "===", "1.0.0"]}, "true", "false"]}},
                "semver-wrong-args-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "="]}, "true", "false"]}},
                "fractional-null-bucket-key-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"fractional": [{"var": "missing_key"}, ["one", 50], ["two", 50]]},
                                       "true", "false"]}},
                "fractional-zero-weights-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"fractional": [{"var": "targetingKey"}, ["one", 0], ["two", 0]]},
                                       "true", "false"]}},
                "fractional-negative-weight-flag": {"state": "ENABLED",
                  "variants": {"one": "one", "two": "two", "fallback": "fallback"}, "defaultVariant": "fallback",
                  "targeting": {"fractional": [{"var": "targetingKey"}, ["one", -50], ["two", 100]]}},
                "fractional-no-distribution-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"fractional": [{"var": "targetingKey"}]}, "true", "false"]}},
                "starts-with-non-string-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"starts_with": [{"var": "num"}, "abc"]}, "true", "false"]}},
                "ends-with-non-string-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"ends_with": [{"var": "num"}, "xyz"]}, "true", "false"]}},
                "starts-with-wrong-args-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"starts_with": ["abc"]}, "true", "false"]}},
                "ends-with-wrong-args-flag": {"state": "ENABLED", %1$s,
                  "targeting": {"if": [{"ends_with": ["xyz"]}, "true", "false"]}}
              }
            }
            """.formatted(FALLBACK_FLAGS));

    /** "Errors and edge cases": an Integer flag asked for with the caller's default 3. */
    @ParameterizedTest
    @CsvSource({
        "targeting-null-variant-flag, 2, DEFAULT, ",
        "missing-variant-targeting-flag, 3, ERROR, GENERAL",
        "non-string-variant-targeting-flag, 2, TARGETING_MATCH, ",
        "empty-targeting-flag, 1, STATIC, ",
    })
    void shouldResolveTheEdgeCasesLikeFlagd(String key, long value, Reason reason, ErrorCode errorCode) {
        EvaluationResult result = SUITE.evaluate(key);

        assertEquals(value, FlagdSuite.resolvedValue(result, 3L));
        assertEquals(reason, result.reason());
        assertEquals(errorCode, result.errorCode());
    }

    /** "Custom operator errors return null and fall back to default variant" (sem_ver). */
    @ParameterizedTest
    @CsvSource({"semver-invalid-version-flag, not-a-version", "semver-invalid-operator-flag, 1.0.0"})
    void shouldFallBackToTheDefaultVariantWhenSemVerCannotCompare(String key, String version) {
        assertFallback(SUITE.evaluate(key, "version", version));
    }

    /** "sem_ver returns null for wrong argument count". */
    @Test
    void shouldFallBackWhenSemVerHasTheWrongNumberOfArguments() {
        assertFallback(SUITE.evaluate("semver-wrong-args-flag", "version", "1.0.0"));
    }

    /** "fractional operator with missing bucket key falls back to default variant" (and no targeting key). */
    @Test
    void shouldFallBackWhenFractionalHasNoBucketingValue() {
        assertFallback(SUITE.evaluate("fractional-null-bucket-key-flag"));
    }

    /** "fractional with all-zero bucket weights falls back to default variant". */
    @Test
    void shouldFallBackWhenAllFractionalWeightsAreZero() {
        assertFallback(SUITE.evaluate("fractional-zero-weights-flag", "targetingKey", "any-user"));
    }

    /** "fractional negative bucket weight is clamped to zero": ["one", -50] is ["one", 0]; "two" gets everything. */
    @Test
    void shouldCountNegativeFractionalWeightsAsZero() {
        for (String user : new String[] {"any-user", "user-1", "user-2", "jon@company.com"}) {
            EvaluationResult result = SUITE.evaluate("fractional-negative-weight-flag", "targetingKey", user);
            assertEquals("two", result.value());
            assertEquals(Reason.TARGETING_MATCH, result.reason());
        }
    }

    @Test
    void shouldFallBackWhenFractionalHasNoDistribution() {
        assertFallback(SUITE.evaluate("fractional-no-distribution-flag", "targetingKey", "any-user"));
    }

    /** "starts_with and ends_with return null for non-string input" (num = 123). */
    @ParameterizedTest
    @ValueSource(strings = {"starts-with-non-string-flag", "ends-with-non-string-flag"})
    void shouldFallBackWhenStringOperatorsGetANonString(String key) {
        assertFallback(SUITE.evaluate(key, "num", 123L));
    }

    /** "starts_with and ends_with return null for wrong argument count". */
    @ParameterizedTest
    @ValueSource(strings = {"starts-with-wrong-args-flag", "ends-with-wrong-args-flag"})
    void shouldFallBackWhenStringOperatorsHaveTheWrongNumberOfArguments(String key) {
        assertFallback(SUITE.evaluate(key));
    }

    /**
     * flagd evaluates {@code error-targeting-flag} (an operation that does not exist) to PARSE_ERROR; flag-service
     * refuses it when it is stored or imported, naming the field, so it never reaches evaluation.
     */
    @Test
    void shouldRefuseUnknownOperationsWhenTheFileIsImported() {
        InvalidFlagdDocumentException refused =
                assertThrows(InvalidFlagdDocumentException.class, () -> FlagdDocument.parse(Json.tree("""
                        {"flags": {"error-targeting-flag": {"state": "ENABLED", "variants": {"one": 1, "two": 2},
                          "defaultVariant": "two", "targeting": {"invalid": ["this is not valid targeting"]}}}}
                        """)));

        assertTrue(
                refused.getMessage().contains("/flags/error-targeting-flag/targeting/invalid"), refused.getMessage());
    }

    private static void assertFallback(EvaluationResult result) {
        assertEquals("fallback", FlagdSuite.resolvedValue(result, "wrong"));
        assertEquals(Reason.DEFAULT, result.reason());
        assertNull(result.errorCode());
        assertEquals(Map.of(), result.metadata());
    }
}
