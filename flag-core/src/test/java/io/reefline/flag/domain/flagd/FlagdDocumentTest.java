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
    private static final String FLAGD_FILE = documentedFlags();

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

    /**
     * flagd loads targeting it cannot apply and answers PARSE_ERROR when evaluating it; loading does the same, keeps
     * the targeting as written and reports it, with the other likely mistakes, as warnings.
     */
    @Test
    void shouldLoadWhatFlagdLoadsWithWarnings() throws InvalidFlagdDocumentException {
        FlagdDocument.Loaded loaded = FlagdDocument.load(Json.tree("""
                {"flags": {
                  "unknown-op": {"state": "ENABLED", "variants": {"a": 1, "b": 2}, "defaultVariant": "a",
                                 "targeting": {"if": [{"regex": ["x"]}, "b", null]}},
                  "bad-ref": {"state": "ENABLED", "variants": {"a": 1}, "defaultVariant": "a",
                              "targeting": {"if": [{"$ref": "missing"}, "a", null]}},
                  "arity": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                            "targeting": {"if": [{"in": ["@x.com"]}, "on", "off"]}},
                  "unserved": {"state": "ENABLED", "variants": {"a": "A", "b": "B", "c": "C"}, "defaultVariant": "a",
                               "targeting": {"fractional": [["a", 50], ["z", 50]]}},
                  "shorthand": {"state": "ENABLED", "variants": {"true": true, "false": false},
                                "defaultVariant": "false", "targeting": {"starts_with": [{"var": "id"}, "x"]}},
                  "dynamic": {"state": "ENABLED", "variants": {"a": "A", "b": "B"}, "defaultVariant": "a",
                              "targeting": {"var": "variant"}}
                },
                "$evaluators": {"loop": {"!": {"$ref": "loop"}}}}
                """));

        assertEquals(
                List.of(
                        "/$evaluators/loop/!/$ref",
                        "/flags/unknown-op/targeting/if/0/regex",
                        "/flags/bad-ref/targeting/if/0/$ref",
                        "/flags/arity/targeting/if/0/in",
                        "/flags/unserved/targeting/fractional/1/0",
                        "/flags/unserved/variants/b",
                        "/flags/unserved/variants/c"),
                loaded.warnings().stream().map(DocumentProblem::path).toList());
        assertEquals(
                List.of("/targeting/if/0/$ref"),
                loaded.warningsOf("bad-ref").stream().map(DocumentProblem::path).toList());
        FlagSet set = loaded.flagSet();
        assertEquals(
                Json.tree("{\"if\": [{\"$ref\": \"missing\"}, \"a\", null]}"),
                FlagdDocument.write(set).at("/flags/bad-ref/targeting"));
        Evaluator evaluator = Evaluator.over(FlagSnapshot.of(set, 1), Clock.systemUTC());
        var result = evaluator.evaluate("bad-ref", EvaluationContext.EMPTY);
        assertEquals(Reason.ERROR, result.reason());
        assertEquals(io.reefline.flag.domain.ErrorCode.PARSE_ERROR, result.errorCode());
        assertEquals(
                "true",
                evaluator
                        .evaluate("shorthand", EvaluationContext.of(Map.of("id", "xy")))
                        .variant());
        // The strict reading still refuses targeting that does not compile.
        assertThrows(InvalidFlagdDocumentException.class, () -> parse("""
                {"flags": {"bad-ref": {"state": "ENABLED", "variants": {"a": 1},
                           "targeting": {"if": [{"$ref": "missing"}, "a", null]}}}}
                """));
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

    private static String documentedFlags() {
        try (var in = FlagdDocumentTest.class.getResourceAsStream("/flagd/documented-flags.json")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
