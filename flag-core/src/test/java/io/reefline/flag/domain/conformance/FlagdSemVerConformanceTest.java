package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.flag.domain.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's {@code sem_ver} (flagd issue #1873; flagd-testbed {@code targeting.feature} "@semver" scenarios,
 * {@code flags/custom-ops.json}): {@code v}/{@code V} prefixes are ignored, partial versions are completed, numbers in
 * the context are read as versions, build metadata does not take part in comparisons, and an invalid version makes
 * the operation null.
 */
class FlagdSemVerConformanceTest {

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "equal-greater-lesser-version-flag": {"state": "ENABLED",
                  "variants": {"equal": "equal", "greater": "greater", "lesser": "lesser", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0"]}, "equal",
                    {"if": [{"sem_ver": [{"var": "version"}, ">", "2.0.0"]}, "greater",
                      {"if": [{"sem_ver": [{"var": "version"}, "<", "2.0.0"]}, "lesser",
                        {"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0.0"]}, "fail", "none"]}]}]}]}},
                "major-minor-version-flag": {"state": "ENABLED",
                  "variants": {"minor": "minor", "major": "major", "none": "none"}, "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "~", "3.0.0"]}, "minor",
                    {"if": [{"sem_ver": [{"var": "version"}, "^", "3.0.0"]}, "major", "none"]}]}},
                "semver-v-prefix-flag": {"state": "ENABLED", "variants": {"match": "match", "no-match": "no-match"},
                  "defaultVariant": "no-match",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "v1.0.0"]}, "match", "no-match"]}},
                "semver-partial-version-flag": {"state": "ENABLED",
                  "variants": {"match": "match", "no-match": "no-match"}, "defaultVariant": "no-match",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "^", "1"]}, "match", "no-match"]}},
                "semver-numeric-context-flag": {"state": "ENABLED",
                  "variants": {"match": "match", "no-match": "no-match"}, "defaultVariant": "no-match",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, ">", "1.1"]}, "match", "no-match"]}},
                "semver-build-metadata-flag": {"state": "ENABLED",
                  "variants": {"match": "match", "no-match": "no-match"}, "defaultVariant": "no-match",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "1.0.0+build"]}, "match", "no-match"]}}
              }
            }
            """);

    /** "Semantic version operator numeric comparison"; 2.0.0.0 is no version, so the default variant "none". */
    @ParameterizedTest
    @CsvSource({"2.0.0, equal", "2.1.0, greater", "1.9.0, lesser", "2.0.0-alpha, lesser"})
    void shouldCompareVersions(String version, String expected) {
        assertEquals(expected, resolve("equal-greater-lesser-version-flag", "String", version));
    }

    @org.junit.jupiter.api.Test
    void shouldServeTheDefaultVariantForSomethingThatIsNoVersion() {
        var result = SUITE.evaluate("equal-greater-lesser-version-flag", "version", "2.0.0.0");

        assertEquals("none", result.value());
        assertEquals(Reason.DEFAULT, result.reason());
    }

    /** "Semantic version operator semantic comparison" ({@code ~} same minor, {@code ^} same major). */
    @ParameterizedTest
    @CsvSource({"3.0.1, minor", "3.1.0, major", "4.0.0, none"})
    void shouldMatchMinorAndMajorVersions(String version, String expected) {
        assertEquals(expected, resolve("major-minor-version-flag", "String", version));
    }

    /** "sem_ver v-prefix handling". */
    @ParameterizedTest
    @CsvSource({"1.0.0, match", "v1.0.0, match", "V1.0.0, match", "2.0.0, no-match"})
    void shouldIgnoreAVPrefix(String version, String expected) {
        assertEquals(expected, resolve("semver-v-prefix-flag", "String", version));
    }

    /** "sem_ver partial version string handling". */
    @ParameterizedTest
    @CsvSource({
        "1.5.0, String, match",
        "1.0.0, String, match",
        "1.0, String, match",
        "1, String, match",
        "1, Integer, match",
        "1, Float, match",
        "1.2, Float, match",
        "2.0.0, String, no-match",
    })
    void shouldCompletePartialVersions(String version, String type, String expected) {
        assertEquals(expected, resolve("semver-partial-version-flag", type, version));
    }

    /** "sem_ver numeric context value coercion". */
    @ParameterizedTest
    @CsvSource({
        "1.2, Float, match",
        "1.1, Float, no-match",
        "2, Integer, match",
        "1, Integer, no-match",
        "1.2, String, match",
    })
    void shouldReadNumbersAsVersions(String version, String type, String expected) {
        assertEquals(expected, resolve("semver-numeric-context-flag", type, version));
    }

    /** "sem_ver build metadata ignored". */
    @ParameterizedTest
    @CsvSource({"1.0.0, match", "1.0.0+other, match", "2.0.0, no-match"})
    void shouldIgnoreBuildMetadata(String version, String expected) {
        assertEquals(expected, resolve("semver-build-metadata-flag", "String", version));
    }

    private static Object resolve(String key, String type, String version) {
        var result = SUITE.evaluate(key, "version", FlagdSuite.typed(type, version));
        assertEquals(Reason.TARGETING_MATCH, result.reason(), result.toString());
        return FlagdSuite.resolvedValue(result, "fallback");
    }
}
