package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Reason;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zero values are values (flagd-testbed {@code evaluation.feature} "Resolves zero value", "... with targeting",
 * "... with targeting using default", {@code flags/zero-flags.json}): {@code false}, {@code ""}, {@code 0} and
 * {@code 0.0} are served, never mistaken for "no value" and replaced by the caller's default. Flags without a default
 * variant ("@no-default") leave the caller's default in place with reason DEFAULT.
 */
class FlagdZeroValuesConformanceTest {

    private static final String TARGETED = """
            "targeting": {"if": [{"==": [{"var": "email"}, "ballmer@macrosoft.com"]}, "zero", null]}
            """;

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "boolean-zero-flag": {"state": "ENABLED", "variants": {"zero": false, "non-zero": true},
                  "defaultVariant": "zero"},
                "string-zero-flag": {"state": "ENABLED", "variants": {"zero": "", "non-zero": "str"},
                  "defaultVariant": "zero"},
                "integer-zero-flag": {"state": "ENABLED", "variants": {"zero": 0, "non-zero": 1},
                  "defaultVariant": "zero"},
                "float-zero-flag": {"state": "ENABLED", "variants": {"zero": 0.0, "non-zero": 1.0},
                  "defaultVariant": "zero"},
                "boolean-targeted-zero-flag": {"state": "ENABLED", "variants": {"zero": false, "non-zero": true},
                  "defaultVariant": "zero", %1$s},
                "string-targeted-zero-flag": {"state": "ENABLED", "variants": {"zero": "", "non-zero": "str"},
                  "defaultVariant": "zero", %1$s},
                "integer-targeted-zero-flag": {"state": "ENABLED", "variants": {"zero": 0, "non-zero": 1},
                  "defaultVariant": "zero", %1$s},
                "float-targeted-zero-flag": {"state": "ENABLED", "variants": {"zero": 0.0, "non-zero": 1.0},
                  "defaultVariant": "zero", %1$s},
                "null-default-flag": {"state": "ENABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": null},
                "no-default-flag-null-targeting-variant": {"state": "ENABLED",
                  "variants": {"normal": "CFO", "special": "CEO"},
                  "targeting": {"if": [{"==": ["jobs@orange.com", {"var": ["email"]}]}, "special", null]}}
              }
            }
            """.formatted(TARGETED));

    /** "Resolves zero value". */
    @ParameterizedTest
    @CsvSource({
        "boolean-zero-flag, Boolean, true, false",
        "string-zero-flag, String, hi, ''",
        "integer-zero-flag, Integer, 1, 0",
        "float-zero-flag, Float, 0.1, 0.0",
    })
    void shouldServeZeroValuesStatically(String key, String type, String callerDefault, String expected) {
        EvaluationResult result = SUITE.evaluate(key);

        assertEquals(FlagdSuite.typed(type, expected), FlagdSuite.resolvedValue(result, typed(type, callerDefault)));
        assertEquals(Reason.STATIC, result.reason());
    }

    /** "Resolves zero value with targeting" and "... using default". */
    @ParameterizedTest
    @CsvSource({
        "boolean-targeted-zero-flag, Boolean, true, false, ballmer@macrosoft.com, TARGETING_MATCH",
        "string-targeted-zero-flag, String, hi, '', ballmer@macrosoft.com, TARGETING_MATCH",
        "integer-targeted-zero-flag, Integer, 1, 0, ballmer@macrosoft.com, TARGETING_MATCH",
        "float-targeted-zero-flag, Float, 0.1, 0.0, ballmer@macrosoft.com, TARGETING_MATCH",
        "boolean-targeted-zero-flag, Boolean, true, false, ballmer@none.com, DEFAULT",
        "string-targeted-zero-flag, String, hi, '', ballmer@none.com, DEFAULT",
        "integer-targeted-zero-flag, Integer, 1, 0, ballmer@none.com, DEFAULT",
        "float-targeted-zero-flag, Float, 0.1, 0.0, ballmer@none.com, DEFAULT",
    })
    void shouldServeZeroValuesThroughTargeting(
            String key, String type, String callerDefault, String expected, String email, Reason reason) {
        EvaluationResult result = SUITE.evaluate(key, "email", email);

        assertEquals(FlagdSuite.typed(type, expected), FlagdSuite.resolvedValue(result, typed(type, callerDefault)));
        assertEquals(reason, result.reason());
    }

    /** "Resolves flag with no defaultValue correctly". */
    @ParameterizedTest
    @CsvSource({
        "null-default-flag, '', true, true, DEFAULT",
        "null-default-flag, '', false, false, DEFAULT",
        "no-default-flag-null-targeting-variant, wozniak@orange.com, Inventor, Inventor, DEFAULT",
        "no-default-flag-null-targeting-variant, jobs@orange.com, Founder, CEO, TARGETING_MATCH",
    })
    void shouldLeaveTheCodeDefaultWithoutADefaultVariant(
            String key, String email, String callerDefault, String expected, Reason reason) {
        EvaluationResult result = SUITE.evaluate(key, Map.of("email", email));

        Object codeDefault = "true".equals(callerDefault) || "false".equals(callerDefault)
                ? Boolean.valueOf(callerDefault)
                : callerDefault;
        assertEquals(
                codeDefault instanceof Boolean ? Boolean.valueOf(expected) : expected,
                FlagdSuite.resolvedValue(result, codeDefault));
        assertEquals(reason, result.reason());
    }

    private static Object typed(String type, String text) {
        return FlagdSuite.typed(type, text);
    }
}
