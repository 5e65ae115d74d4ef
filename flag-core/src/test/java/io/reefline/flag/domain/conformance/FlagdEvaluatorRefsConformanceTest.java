package io.reefline.flag.domain.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.domain.ErrorCode;
import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.Json;
import io.reefline.flag.domain.Reason;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * flagd's shared evaluators (flagd-testbed {@code targeting.feature} "Evaluator reuse", "Ref to nonexistent evaluator
 * yields parse error", {@code flags/evaluator-refs.json}).
 */
class FlagdEvaluatorRefsConformanceTest {

    private static final String EVALUATORS = """
            {"is_ballmer": {"==": ["ballmer@macrosoft.com", {"var": ["email"]}]},
             "is_privileged": {"or": [{"$ref": "is_ballmer"}, {"==": ["admin", {"var": ["role"]}]}]}}
            """;

    private static final FlagdSuite SUITE = FlagdSuite.of("""
            {
              "flags": {
                "some-email-targeted-flag": {"state": "ENABLED", "variants": {"hi": "hi", "bye": "bye", "none": "none"},
                  "defaultVariant": "none", "targeting": {"if": [{"$ref": "is_ballmer"}, "hi", "bye"]}},
                "some-other-email-targeted-flag": {"state": "ENABLED",
                  "variants": {"yes": "yes", "no": "no", "none": "none"}, "defaultVariant": "none",
                  "targeting": {"if": [{"$ref": "is_ballmer"}, "yes", "no"]}},
                "nested-ref-targeted-flag": {"state": "ENABLED",
                  "variants": {"privileged": "privileged", "standard": "standard", "none": "none"},
                  "defaultVariant": "none",
                  "targeting": {"if": [{"$ref": "is_privileged"}, "privileged", "standard"]}}
              },
              "$evaluators": %s
            }
            """.formatted(EVALUATORS));

    /** "Evaluator reuse", and the whitespace scenarios (JSON is parsed, never matched as text). */
    @ParameterizedTest
    @CsvSource({
        "some-email-targeted-flag, ballmer@macrosoft.com, hi",
        "some-other-email-targeted-flag, ballmer@macrosoft.com, yes",
        "some-email-targeted-flag, user@example.com, bye",
    })
    void shouldReuseASharedEvaluator(String key, String email, String expected) {
        EvaluationResult result = SUITE.evaluate(key, "email", email);

        assertEquals(expected, result.value());
        assertEquals(Reason.TARGETING_MATCH, result.reason());
    }

    @ParameterizedTest
    @CsvSource({"ballmer@macrosoft.com, user, privileged", "x@y.com, admin, privileged", "x@y.com, user, standard"})
    void shouldResolveEvaluatorsThatReferenceEvaluators(String email, String role, String expected) {
        assertEquals(
                expected,
                SUITE.evaluate("nested-ref-targeted-flag", Map.of("email", email, "role", role))
                        .value());
    }

    /**
     * "Ref to nonexistent evaluator yields parse error": a flag that is served while the evaluator it names is gone
     * (evaluators changed after the flag was stored) evaluates to ERROR / PARSE_ERROR, and the caller gets its
     * default.
     */
    @Test
    void shouldFailWithParseErrorWhenTheReferencedEvaluatorDoesNotExist() throws TargetingCompileException {
        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        evaluators.put("is_ballmer", Json.tree("{\"==\": [\"ballmer@macrosoft.com\", {\"var\": [\"email\"]}]}"));
        var targeting = new TargetingCompiler(evaluators)
                .deferringUnresolvedReferences()
                .compile(Json.tree("{\"if\": [{\"$ref\": \"nonexistent_evaluator\"}, \"hi\", \"bye\"]}"));
        FlagDefinition flag = new FlagDefinition(
                "ref-to-nonexistent-evaluator-flag",
                FlagState.ENABLED,
                Map.of("hi", "hi", "bye", "bye"),
                "bye",
                targeting,
                Map.of());
        Evaluator evaluator = Evaluator.over(
                FlagSnapshot.of(new FlagSet(Map.of(flag.key(), flag), evaluators, Map.of()), 1), FlagdSuite.CLOCK);

        EvaluationResult result = evaluator.evaluate(flag.key(), EvaluationContext.EMPTY);

        assertEquals(Reason.ERROR, result.reason());
        assertEquals(ErrorCode.PARSE_ERROR, result.errorCode());
        assertTrue(result.errorMessage().contains("nonexistent_evaluator"), result.errorMessage());
        assertNull(result.value());
        assertEquals("fallback", FlagdSuite.resolvedValue(result, "fallback"));
    }

    /** A write or an import naming an evaluator that does not exist is refused instead, with the field named. */
    @Test
    void shouldRefuseToStoreAReferenceToAnEvaluatorThatDoesNotExist() {
        TargetingCompileException refused = assertThrows(
                TargetingCompileException.class,
                () -> TargetingCompiler.standalone()
                        .compile(Json.tree("{\"if\": [{\"$ref\": \"nonexistent_evaluator\"}, \"hi\", \"bye\"]}")));

        assertEquals("/if/0/$ref", refused.problems().get(0).path());
    }
}
