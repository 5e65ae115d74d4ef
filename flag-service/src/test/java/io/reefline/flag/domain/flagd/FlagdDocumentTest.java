package io.reefline.flag.domain.flagd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.Json;
import io.reefline.flag.domain.Reason;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FlagdDocumentTest {

    /**
     * Flags from flagd's documentation and its conformance suite (open-feature/flagd-testbed,
     * {@code flags/custom-ops.json} and {@code gherkin/targeting.feature}), using {@code fractional},
     * {@code sem_ver}, {@code starts_with}, {@code ends_with} and {@code $ref}. Fractional expectations are the
     * suite's "@fractional-v2" examples, which use the current {@code (hash * totalWeight) >> 32} bucketing; the
     * curl examples of custom-operations/fractional-operation.md match neither that nor the legacy algorithm.
     */
    private static final String FLAGD_FILE = """
            {
              "$schema": "https://flagd.dev/schema/v0/flags.json",
              "flags": {
                "fibAlgo": {
                  "variants": {"recursive": "recursive", "memo": "memo", "loop": "loop", "binet": "binet"},
                  "defaultVariant": "recursive", "state": "ENABLED",
                  "targeting": {"if": [{"$ref": "emailWithFaas"}, "binet", null]}
                },
                "headerColor": {
                  "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00", "yellow": "#FFFF00"},
                  "defaultVariant": "red", "state": "ENABLED",
                  "targeting": {"if": [{"$ref": "emailWithFaas"},
                    {"fractional": [{"var": "email"}, ["red", 25], ["blue", 25], ["green", 25], ["yellow", 25]]},
                    null]}
                },
                "semverColor": {
                  "variants": {"red": "#FF0000", "blue": "#0000FF", "green": "#00FF00"},
                  "defaultVariant": "blue", "state": "ENABLED",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, ">=", "1.0.0"]}, "red", "green"]}
                },
                "new-welcome-banner": {
                  "state": "ENABLED", "variants": {"true": true, "false": false}, "defaultVariant": "false",
                  "targeting": {"ends_with": [{"var": "email"}, "@example.com"]}
                },
                "fractional-flag": {
                  "state": "ENABLED",
                  "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades",
                               "wild": "wild"},
                  "defaultVariant": "wild",
                  "targeting": {"fractional": [{"cat": [{"var": "$flagd.flagKey"}, {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}
                },
                "fractional-hash-edge-flag": {
                  "state": "ENABLED", "variants": {"lower": "lower", "upper": "upper"}, "defaultVariant": "lower",
                  "targeting": {"fractional": [{"var": "targetingKey"}, ["lower", 50], ["upper", 50]]}
                },
                "fractional-flag-A-shared-seed": {
                  "state": "ENABLED",
                  "variants": {"clubs": "clubs", "diamonds": "diamonds", "hearts": "hearts", "spades": "spades",
                               "wild": "wild"},
                  "defaultVariant": "wild",
                  "targeting": {"fractional": [{"cat": ["shared-seed", {"var": "user.name"}]},
                    ["clubs", 25], ["diamonds", 25], ["hearts", 25], ["spades", 25]]}
                },
                "starts-ends-flag": {
                  "state": "ENABLED", "variants": {"prefix": "prefix", "postfix": "postfix", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"starts_with": [{"var": "id"}, "abc"]}, "prefix",
                    {"if": [{"ends_with": [{"var": "id"}, "xyz"]}, "postfix",
                      {"if": [{"ends_with": [{"var": "id"}, 3]}, "fail", "none"]}]}]}
                },
                "equal-greater-lesser-version-flag": {
                  "state": "ENABLED",
                  "variants": {"equal": "equal", "greater": "greater", "lesser": "lesser", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "=", "2.0.0"]}, "equal",
                    {"sem_ver": [{"var": "version"}, ">", "2.0.0"]}, "greater",
                    {"sem_ver": [{"var": "version"}, "<", "2.0.0"]}, "lesser",
                    {"sem_ver": [{"var": "version"}, "=", "2.0.0.0"]}, "fail", "none"]}
                },
                "major-minor-version-flag": {
                  "state": "ENABLED", "variants": {"minor": "minor", "major": "major", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"sem_ver": [{"var": "version"}, "~", "3.0.0"]}, "minor",
                    {"sem_ver": [{"var": "version"}, "^", "3.0.0"]}, "major", "none"]}
                }
              },
              "$evaluators": {
                "emailWithFaas": {"in": ["@faas.com", {"var": ["email"]}]}
              },
              "metadata": {"team": "user-experience", "flagSetId": "ecommerce"}
            }
            """;

    private static FlagSet parse(String json) throws InvalidFlagdDocumentException {
        return FlagdDocument.parse(Json.tree(json));
    }

    private static String variant(String flagKey, Map<String, Object> context) throws InvalidFlagdDocumentException {
        Evaluator evaluator = Evaluator.over(FlagSnapshot.of(parse(FLAGD_FILE), 1), Clock.systemUTC());
        return evaluator.evaluate(flagKey, EvaluationContext.of(context)).variant();
    }

    /** flag-definitions.md, "Shared evaluators": fibAlgo is binet for @faas.com addresses, else the default. */
    @Test
    void shouldResolveSharedEvaluatorsAsDocumented() throws InvalidFlagdDocumentException {
        assertEquals("binet", variant("fibAlgo", Map.of("email", "ada@faas.com")));
        assertEquals("recursive", variant("fibAlgo", Map.of("email", "ada@example.com")));
        assertEquals("red", variant("headerColor", Map.of("email", "ada@example.com")));
    }

    /** custom-operations/semver-operation.md: red for 1.0.1, green for 0.1.0. */
    @Test
    void shouldCompareVersionsAsDocumented() throws InvalidFlagdDocumentException {
        assertEquals("red", variant("semverColor", Map.of("version", "1.0.1")));
        assertEquals("green", variant("semverColor", Map.of("version", "0.1.0")));
    }

    /** flag-definitions.md, "Boolean Variant Shorthand". */
    @Test
    void shouldMapBooleanShorthandAsDocumented() throws InvalidFlagdDocumentException {
        assertEquals("true", variant("new-welcome-banner", Map.of("email", "noreply@example.com")));
        assertEquals("false", variant("new-welcome-banner", Map.of("email", "noreply@test.com")));
    }

    /** flagd-testbed gherkin/targeting.feature, "Fractional operator", examples v2. */
    @ParameterizedTest
    @CsvSource({"jack, hearts", "queen, spades", "ten, clubs", "nine, diamonds", "3, clubs"})
    void shouldSplitFractionallyAsFlagdConformanceSuite(String name, String expected)
            throws InvalidFlagdDocumentException {
        assertEquals(expected, variant("fractional-flag", Map.of("user", Map.of("name", name))));
    }

    /** flagd-testbed gherkin/targeting.feature, "Fractional operator with shared seed", examples v2. */
    @ParameterizedTest
    @CsvSource({"seven, hearts", "eight, diamonds", "nine, clubs", "two, spades"})
    void shouldSplitWithSharedSeedAsFlagdConformanceSuite(String name, String expected)
            throws InvalidFlagdDocumentException {
        assertEquals(expected, variant("fractional-flag-A-shared-seed", Map.of("user", Map.of("name", name))));
    }

    /** flagd-testbed gherkin/targeting.feature, "Fractional operator hash edge cases" (hashes at bucket bounds). */
    @ParameterizedTest
    @CsvSource({"ejOoVL, lower", "bY9fO-, lower", "SI7p-, lower", "6LvT0, upper", "ceQdGm, upper"})
    void shouldSplitAtHashEdgesAsFlagdConformanceSuite(String targetingKey, String expected)
            throws InvalidFlagdDocumentException {
        assertEquals(expected, variant("fractional-hash-edge-flag", Map.of("targetingKey", targetingKey)));
    }

    /** flagd-testbed gherkin/targeting.feature, "Substring operators" and the two semantic version outlines. */
    @ParameterizedTest
    @CsvSource({
        "starts-ends-flag, id, abcdef, prefix",
        "starts-ends-flag, id, uvwxyz, postfix",
        "starts-ends-flag, id, abcxyz, prefix",
        "starts-ends-flag, id, lmnopq, none",
        "starts-ends-flag, id, 3, none",
        "equal-greater-lesser-version-flag, version, 2.0.0, equal",
        "equal-greater-lesser-version-flag, version, 2.1.0, greater",
        "equal-greater-lesser-version-flag, version, 1.9.0, lesser",
        "equal-greater-lesser-version-flag, version, 2.0.0-alpha, lesser",
        "equal-greater-lesser-version-flag, version, 2.0.0.0, none",
        "major-minor-version-flag, version, 3.0.1, minor",
        "major-minor-version-flag, version, 3.1.0, major",
        "major-minor-version-flag, version, 4.0.0, none",
    })
    void shouldEvaluateCustomOperationsAsFlagdConformanceSuite(
            String flagKey, String attribute, String value, String expected) throws InvalidFlagdDocumentException {
        assertEquals(expected, variant(flagKey, Map.of(attribute, value)));
    }

    @Test
    void shouldRoundTripThroughWrite() throws InvalidFlagdDocumentException {
        FlagSet original = parse(FLAGD_FILE);

        FlagSet reread =
                FlagdDocument.parse(Json.tree(FlagdDocument.write(original).toString()));

        assertEquals(original, reread);
        assertEquals(
                Json.tree("{\"$ref\": \"emailWithFaas\"}"),
                FlagdDocument.write(original).at("/flags/fibAlgo/targeting/if/0"));
    }

    @Test
    void shouldKeepIntegersAndFloatsApartAndAllowMissingDefaultVariant() throws InvalidFlagdDocumentException {
        FlagSet set = parse("""
                {"flags": {
                  "limits": {"state": "ENABLED", "variants": {"small": 10, "large": 2.5}, "defaultVariant": null},
                  "config": {"state": "DISABLED", "variants": {"a": {"color": "red", "sizes": [1, 2]}},
                             "targeting": {}}}}
                """);

        assertEquals(10L, set.flags().get("limits").variants().get("small"));
        assertEquals(2.5, set.flags().get("limits").variants().get("large"));
        assertNull(set.flags().get("limits").defaultVariant());
        assertEquals(
                Reason.DISABLED,
                Evaluator.over(FlagSnapshot.of(set, 1), Clock.systemUTC())
                        .evaluate("config", EvaluationContext.EMPTY)
                        .reason());
        assertEquals(
                "2.5",
                FlagdDocument.write(set).at("/flags/limits/variants/large").toString());
        assertEquals(
                "10",
                FlagdDocument.write(set).at("/flags/limits/variants/small").toString());
    }

    @Test
    void shouldRejectTheWholeDocumentNamingEveryBadElement() {
        InvalidFlagdDocumentException error = assertThrows(InvalidFlagdDocumentException.class, () -> parse("""
                        {"flags": {
                          "new-welcome-banner": {"state": "ENABLED", "variants": {"on": true, "off": false},
                                                 "defaultVariant": "purple"},
                          "no-state": {"variants": {"on": true}},
                          "bad-state": {"state": "ON", "variants": {"on": true}},
                          "mixed": {"state": "ENABLED", "variants": {"on": true, "off": "false"}},
                          "empty": {"state": "ENABLED", "variants": {}},
                          "no-variants": {"state": "ENABLED"},
                          "list": {"state": "ENABLED", "variants": {"a": [1, 2]}},
                          "bad-targeting": {"state": "ENABLED", "variants": {"a": 1}, "targeting": "a"},
                          "unknown-op": {"state": "ENABLED", "variants": {"a": 1},
                                         "targeting": {"if": [{"regex": ["x"]}, "a", null]}},
                          "bad-ref": {"state": "ENABLED", "variants": {"a": 1},
                                      "targeting": {"if": [{"$ref": "missing"}, "a", null]}},
                          "bad-metadata": {"state": "ENABLED", "variants": {"a": 1}, "metadata": {"x": {"y": 1}}},
                          "good": {"state": "ENABLED", "variants": {"a": 1}}
                        },
                        "$evaluators": {"loop": {"!": {"$ref": "loop"}}, "notAnObject": 3}}
                        """));

        assertEquals(
                List.of(
                        "/$evaluators/notAnObject",
                        "/$evaluators/loop/!/$ref",
                        "/flags/new-welcome-banner/defaultVariant",
                        "/flags/no-state/state",
                        "/flags/bad-state/state",
                        "/flags/mixed/variants/off",
                        "/flags/empty/variants",
                        "/flags/no-variants/variants",
                        "/flags/list/variants/a",
                        "/flags/bad-targeting/targeting",
                        "/flags/unknown-op/targeting/if/0/regex",
                        "/flags/bad-ref/targeting/if/0/$ref",
                        "/flags/bad-metadata/metadata/x"),
                error.problems().stream().map(DocumentProblem::path).toList());
        assertEquals(
                "'purple' is not one of the variants [on, off]",
                error.problems().get(2).message());
    }

    @Test
    void shouldRequireFlagsAndEscapeKeysInPaths() {
        InvalidFlagdDocumentException missing =
                assertThrows(InvalidFlagdDocumentException.class, () -> parse("{\"$evaluators\": {}}"));
        InvalidFlagdDocumentException escaped = assertThrows(
                InvalidFlagdDocumentException.class,
                () -> parse("{\"flags\": {\"team/a~b\": {\"state\": \"ENABLED\", \"variants\": {}}}}"));

        assertEquals("/flags", missing.problems().get(0).path());
        assertEquals("/flags/team~1a~0b/variants", escaped.problems().get(0).path());
    }
}
