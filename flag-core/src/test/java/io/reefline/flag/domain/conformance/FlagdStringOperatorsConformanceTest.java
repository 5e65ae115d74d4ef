package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.flag.domain.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's {@code starts_with} and {@code ends_with} (flagd-testbed {@code targeting.feature} "Substring operators",
 * {@code flags/custom-ops.json}; their null answers for unusable input are in
 * {@link FlagdOperatorErrorsConformanceTest}). The last {@code ends_with} compares with the number 3, which it cannot
 * use: the targeting answers null and the flag serves its default variant, "none", never "fail".
 */
class FlagdStringOperatorsConformanceTest {

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "starts-ends-flag": {"state": "ENABLED",
                  "variants": {"prefix": "prefix", "postfix": "postfix", "none": "none"}, "defaultVariant": "none",
                  "targeting": {"if": [{"starts_with": [{"var": "id"}, "abc"]}, "prefix",
                    {"if": [{"ends_with": [{"var": "id"}, "xyz"]}, "postfix",
                      {"if": [{"ends_with": [{"var": "id"}, 3]}, "fail", "none"]}]}]}}
              }
            }
            """);

    @ParameterizedTest
    @CsvSource({
        "abcdef, prefix, TARGETING_MATCH",
        "uvwxyz, postfix, TARGETING_MATCH",
        "abcxyz, prefix, TARGETING_MATCH",
        "lmnopq, none, DEFAULT",
        "3, none, DEFAULT",
    })
    void shouldMatchPrefixesAndSuffixes(String id, String expected, Reason reason) {
        var result = SUITE.evaluate("starts-ends-flag", "id", id);

        assertEquals(expected, result.value());
        assertEquals(reason, result.reason());
    }
}
