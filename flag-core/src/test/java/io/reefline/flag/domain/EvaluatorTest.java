package io.reefline.flag.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private static final String FLAGS = """
            {
              "flags": {
                "static-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "on",
                                "metadata": {"owner": "growth"}},
                "disabled-flag": {"state": "DISABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"},
                "no-default-flag": {"state": "ENABLED", "variants": {"on": true, "off": false}},
                "targeted-flag": {
                  "state": "ENABLED", "variants": {"gold": "g", "silver": "s"}, "defaultVariant": "silver",
                  "targeting": {"if": [{"==": [{"var": "tier"}, "premium"]}, "gold", null]}},
                "targeted-no-default-flag": {
                  "state": "ENABLED", "variants": {"gold": "g", "silver": "s"},
                  "targeting": {"if": [{"==": [{"var": "tier"}, "premium"]}, "gold", null]}},
                "boolean-shorthand-flag": {
                  "state": "ENABLED", "variants": {"true": 1.5, "false": 0.5}, "defaultVariant": "false",
                  "targeting": {"ends_with": [{"var": "email"}, "@example.com"]}},
                "unknown-variant-flag": {
                  "state": "ENABLED", "variants": {"a": 1, "b": 2}, "defaultVariant": "a",
                  "targeting": {"cat": ["c", "d"]}},
                "object-result-flag": {
                  "state": "ENABLED", "variants": {"a": 1, "b": 2}, "defaultVariant": "a",
                  "targeting": {"merge": [["a"], ["b"]]}},
                "flagd-context-flag": {
                  "state": "ENABLED", "variants": {"me": "me", "other": "other", "late": "late"},
                  "defaultVariant": "other",
                  "targeting": {"if": [{">": [{"var": "$flagd.timestamp"}, 1900000000]}, "late",
                                       {"==": [{"var": "$flagd.flagKey"}, "flagd-context-flag"]}, "me", "other"]}},
                "targeting-key-flag": {
                  "state": "ENABLED", "variants": {"hit": "hit", "miss": "miss"}, "defaultVariant": "miss",
                  "targeting": {"if": [{"==": [{"var": "targetingKey"}, "5c3d8535-f81a-4478-a6d3-afaa4d51199e"]},
                                       "hit", null]}}
              },
              "metadata": {"flagSetId": "checkout", "owner": "platform"}
            }
            """;

    private final Evaluator evaluator = Evaluator.over(FlagSnapshot.of(parse(FLAGS), 1), CLOCK);

    private static FlagSet parse(String json) {
        try {
            return FlagdDocument.parse(Json.tree(json));
        } catch (InvalidFlagdDocumentException e) {
            throw new AssertionError(e);
        }
    }

    private EvaluationResult evaluate(String key, Map<String, Object> context) {
        return evaluator.evaluate(key, EvaluationContext.of(context));
    }

    @Test
    void shouldServeDefaultVariantStaticallyWithoutTargeting() {
        EvaluationResult result = evaluate("static-flag", Map.of());

        assertEquals(
                new EvaluationResult(
                        "static-flag",
                        true,
                        "on",
                        Reason.STATIC,
                        null,
                        null,
                        Map.of("flagSetId", "checkout", "owner", "growth")),
                result);
    }

    @Test
    void shouldLeaveDisabledFlagsToTheCallersCodeDefault() {
        EvaluationResult result = evaluate("disabled-flag", Map.of());

        assertEquals(Reason.DISABLED, result.reason());
        assertNull(result.variant());
        assertNull(result.value());
        assertNull(result.errorCode());
        assertTrue(result.usesCodeDefault());
    }

    @Test
    void shouldLeaveTheCodeDefaultToTheCallerWithoutDefaultVariant() {
        EvaluationResult result = evaluate("no-default-flag", Map.of());

        assertEquals(Reason.DEFAULT, result.reason());
        assertTrue(result.usesCodeDefault());
        assertNull(result.value());
    }

    @Test
    void shouldMatchTargetingAndFallBackToDefault() {
        assertEquals(
                "gold", evaluate("targeted-flag", Map.of("tier", "premium")).variant());
        assertEquals(
                Reason.TARGETING_MATCH,
                evaluate("targeted-flag", Map.of("tier", "premium")).reason());
        EvaluationResult fallback = evaluate("targeted-flag", Map.of("tier", "basic"));
        assertEquals(Reason.DEFAULT, fallback.reason());
        assertEquals("s", fallback.value());
        EvaluationResult codeDefault = evaluate("targeted-no-default-flag", Map.of());
        assertEquals(Reason.DEFAULT, codeDefault.reason());
        assertTrue(codeDefault.usesCodeDefault());
    }

    @Test
    void shouldMapBooleanTargetingResultsToVariantNames() {
        EvaluationResult match = evaluate("boolean-shorthand-flag", Map.of("email", "ada@example.com"));
        EvaluationResult miss = evaluate("boolean-shorthand-flag", Map.of("email", "ada@other.com"));

        assertEquals(1.5, match.value());
        assertEquals("true", match.variant());
        assertEquals("false", miss.variant());
        assertEquals(Reason.TARGETING_MATCH, miss.reason());
    }

    @Test
    void shouldReportUnknownVariantsAsGeneralErrors() {
        EvaluationResult unknown = evaluate("unknown-variant-flag", Map.of());
        EvaluationResult notAName = evaluate("object-result-flag", Map.of());

        assertEquals(Reason.ERROR, unknown.reason());
        assertEquals(ErrorCode.GENERAL, unknown.errorCode());
        assertTrue(unknown.errorMessage().contains("cd"));
        assertEquals(ErrorCode.GENERAL, notAName.errorCode());
        assertNull(notAName.value());
    }

    @Test
    void shouldReportMissingFlags() {
        EvaluationResult result = evaluate("nope", Map.of());

        assertEquals(Reason.ERROR, result.reason());
        assertEquals(ErrorCode.FLAG_NOT_FOUND, result.errorCode());
    }

    @Test
    void shouldInjectFlagKeyAndTimestampFromTheClock() {
        assertEquals(
                "me",
                evaluate("flagd-context-flag", Map.of("$flagd", Map.of("flagKey", "spoofed")))
                        .variant());
        Evaluator later = Evaluator.over(
                FlagSnapshot.of(parse(FLAGS), 1), Clock.fixed(Instant.ofEpochSecond(1_900_000_001L), ZoneOffset.UTC));
        assertEquals(
                "late",
                later.evaluate("flagd-context-flag", EvaluationContext.EMPTY).variant());
    }

    @Test
    void shouldTargetByTargetingKey() {
        assertEquals(
                "hit",
                evaluator
                        .evaluate(
                                "targeting-key-flag",
                                new EvaluationContext("5c3d8535-f81a-4478-a6d3-afaa4d51199e", Map.of()))
                        .variant());
        assertEquals(
                Reason.DEFAULT,
                evaluate("targeting-key-flag", Map.of("targetingKey", "other")).reason());
    }

    @Test
    void shouldEvaluateEveryFlagInBulkDisabledOnesIncluded() {
        List<EvaluationResult> results = evaluator.evaluateAll(EvaluationContext.of(Map.of("tier", "premium")));

        assertEquals(10, results.size());
        assertEquals(Reason.DISABLED, results.get(1).reason());
        assertEquals("disabled-flag", results.get(1).flagKey());
        assertEquals("gold", results.get(3).variant());
    }

    @Test
    void shouldReadTheSnapshotSwappedInByTheOwner() {
        AtomicReference<FlagSnapshot> current = new AtomicReference<>(FlagSnapshot.EMPTY);
        Evaluator live = new Evaluator(current::get, CLOCK);
        assertEquals(
                ErrorCode.FLAG_NOT_FOUND,
                live.evaluate("static-flag", EvaluationContext.EMPTY).errorCode());

        current.set(FlagSnapshot.of(parse(FLAGS), 2));

        assertEquals(
                Reason.STATIC,
                live.evaluate("static-flag", EvaluationContext.EMPTY).reason());
    }

    @Test
    void shouldTellValueTypesApart() {
        assertEquals(ValueType.BOOLEAN, ValueType.typeOf(true));
        assertEquals(ValueType.STRING, ValueType.typeOf("x"));
        assertEquals(ValueType.INTEGER, ValueType.typeOf(3L));
        assertEquals(ValueType.FLOAT, ValueType.typeOf(3.0));
        assertEquals(ValueType.OBJECT, ValueType.typeOf(Map.of("a", 1)));
        assertNull(ValueType.typeOf(List.of()));
        assertEquals(
                ValueType.FLOAT,
                ValueType.typeOf(Json.value("{\"v\": 1.0}") instanceof Map<?, ?> m ? m.get("v") : null));
    }
}
