package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's disabled flags (ADR "disabled flag evaluation", flagd issue #1965; flagd-testbed {@code disabled.feature},
 * {@code flags/disabled-flags.json}): a success with reason DISABLED and no value or variant, so the caller's code
 * default is used; targeting is not evaluated; bulk evaluation includes them; flag and flag-set metadata still come.
 */
class FlagdDisabledConformanceTest {

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "disabled-boolean-flag": {"state": "DISABLED", "variants": {"on": true, "off": false},
                                          "defaultVariant": "on", "metadata": {"owner": "growth"}},
                "disabled-string-flag": {"state": "DISABLED", "variants": {"greeting": "hi", "parting": "bye"},
                                         "defaultVariant": "greeting"},
                "disabled-integer-flag": {"state": "DISABLED", "variants": {"one": 1, "ten": 10},
                                          "defaultVariant": "ten"},
                "disabled-float-flag": {"state": "DISABLED", "variants": {"tenth": 0.1, "half": 0.5},
                                        "defaultVariant": "half"},
                "disabled-object-flag": {"state": "DISABLED",
                  "variants": {"empty": {}, "template": {"showImages": true, "title": "Check out these pics!",
                                                         "imagesPerPage": 100}},
                  "defaultVariant": "template"},
                "disabled-targeted-flag": {"state": "DISABLED", "variants": {"on": true, "off": false},
                  "defaultVariant": "off",
                  "targeting": {"map": [{"var": "items"}, {"map": [{"var": "items"}, {"+": [1, 1]}]}]}},
                "enabled-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on"}
              },
              "metadata": {"flagSetId": "checkout"}
            }
            """);

    /** "Evaluating a disabled flag returns reason DISABLED and code default". */
    @ParameterizedTest
    @CsvSource({
        "disabled-boolean-flag, Boolean, false",
        "disabled-string-flag, String, bye",
        "disabled-integer-flag, Integer, 1",
        "disabled-float-flag, Float, 0.1",
    })
    void shouldResolveDisabledFlagsToTheCodeDefaultWithReasonDisabled(String key, String type, String callerDefault) {
        EvaluationResult result = SUITE.evaluate(key);

        assertEquals(Reason.DISABLED, result.reason());
        assertNull(result.errorCode());
        assertNull(result.value());
        assertNull(result.variant());
        Object codeDefault = FlagdSuite.typed(type, callerDefault);
        assertEquals(codeDefault, FlagdSuite.resolvedValue(result, codeDefault));
    }

    @Test
    void shouldResolveADisabledObjectFlagToTheCodeDefault() {
        EvaluationResult result = SUITE.evaluate("disabled-object-flag");

        assertEquals(Reason.DISABLED, result.reason());
        assertEquals(Map.of(), FlagdSuite.resolvedValue(result, Map.of()));
    }

    @Test
    void shouldNotEvaluateTheTargetingOfADisabledFlag() {
        // The targeting would spend far more than the evaluation budget on this context; disabled, it is never run.
        List<Long> items = java.util.stream.LongStream.range(0, 1_000).boxed().toList();

        EvaluationResult result = SUITE.evaluate("disabled-targeted-flag", "items", items);

        assertEquals(Reason.DISABLED, result.reason());
        assertNull(result.errorCode());
    }

    @Test
    void shouldCarryFlagAndFlagSetMetadataOnDisabledFlags() {
        assertEquals(
                Map.of("flagSetId", "checkout", "owner", "growth"),
                SUITE.evaluate("disabled-boolean-flag").metadata());
    }

    @Test
    void shouldIncludeDisabledFlagsInBulkEvaluation() {
        List<EvaluationResult> results = SUITE.evaluator().evaluateAll(EvaluationContext.EMPTY);

        assertEquals(7, results.size());
        assertEquals(
                6, results.stream().filter(r -> r.reason() == Reason.DISABLED).count());
        assertTrue(results.stream()
                .filter(r -> r.reason() == Reason.DISABLED)
                .allMatch(r -> r.value() == null && r.variant() == null && !r.isError()));
        assertEquals(Reason.STATIC, results.get(6).reason());
    }
}
