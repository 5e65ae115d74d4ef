package io.reefline.flag.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import io.reefline.flag.domain.targeting.TargetingLimits;
import io.reefline.flag.domain.targeting.TargetingProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The evaluation budget ({@link TargetingLimits}): targeting too deep or too large once its {@code $ref}s are expanded
 * is refused when it is compiled, and an evaluation that would spend more steps than allowed stops with ERROR /
 * GENERAL, so no stored rule can make one evaluation take much more than a millisecond.
 */
class EvaluationBudgetTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    /** {"+":[{"$ref":"e(k-1)"},{"$ref":"e(k-1)"}]} chained 40 deep: 2^40 nodes once expanded. */
    static Map<String, JsonNode> exponentialEvaluators(int levels) {
        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        evaluators.put("e0", Json.tree("{\"var\": \"x\"}"));
        for (int i = 1; i < levels; i++) {
            evaluators.put(
                    "e" + i,
                    Json.tree("{\"+\": [{\"$ref\": \"e" + (i - 1) + "\"}, {\"$ref\": \"e" + (i - 1) + "\"}]}"));
        }
        return evaluators;
    }

    @Test
    void shouldRefuseTheExponentialRuleQuickly() {
        TargetingCompiler compiler = new TargetingCompiler(exponentialEvaluators(40));

        TargetingCompileException refused = assertTimeoutPreemptively(
                Duration.ofSeconds(2),
                () -> assertThrows(
                        TargetingCompileException.class,
                        () -> compiler.compile(Json.tree("{\"if\": [{\"$ref\": \"e39\"}, \"on\", \"off\"]}"))));

        TargetingProblem problem = refused.problems().stream()
                .filter(p -> p.message().contains("nodes"))
                .findFirst()
                .orElseThrow();
        assertEquals("", problem.path());
        assertTrue(problem.message().contains("at most 2000"), problem.message());
        assertTrue(problem.message().contains("$refs are expanded"), problem.message());
    }

    @Test
    void shouldReportTheSharedEvaluatorsThatAreTooLargeWhereTheyAreDefined() {
        TargetingCompiler compiler = new TargetingCompiler(exponentialEvaluators(40));

        assertEquals(List.of(), compiler.check("e8"));
        assertEquals(1, compiler.check("e9").size());
        assertEquals(2, compiler.check("e39").size()); // too large and too deep
    }

    @Test
    void shouldAcceptTheSameRuleWhileItStaysWithinTheNodeLimit() throws TargetingCompileException {
        // e8 expands to 2^8 leaves and 2^8-1 sums, each with its arguments array: 1,022 nodes, within 2,000.
        Evaluator evaluator = evaluatorFor(
                exponentialEvaluators(9), "{\"if\": [{\">\": [{\"$ref\": \"e8\"}, 100]}, \"on\", \"off\"]}");

        EvaluationResult result = evaluator.evaluate("budget", EvaluationContext.of(Map.of("x", 1)));

        assertEquals("on", result.variant());
    }

    @Test
    void shouldRefuseTargetingNestedDeeperThanTheLimit() {
        // nested(n) is n operations around a var: n + 1 deep.
        assertEquals(List.of(), problems(nested(TargetingLimits.MAX_DEPTH - 1)));
        List<TargetingProblem> tooDeep = problems(nested(TargetingLimits.MAX_DEPTH));

        assertEquals(1, tooDeep.size());
        assertTrue(
                tooDeep.get(0).message().contains("nests 33 operations deep"),
                tooDeep.get(0).message());
    }

    @Test
    void shouldCountDepthThroughReferences() {
        Map<String, JsonNode> evaluators = Map.of("deep", Json.tree(nested(TargetingLimits.MAX_DEPTH - 2)));

        List<TargetingProblem> tooDeep = problemsWith(evaluators, "{\"!\": [{\"!\": [{\"$ref\": \"deep\"}]}]}");

        assertEquals(1, tooDeep.size());
    }

    @Test
    void shouldCountLiteralArraysAsOneNode() {
        List<String> tenants = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tenants.add("\"tenant-" + i + "\"");
        }

        assertEquals(List.of(), problems("{\"in\": [{\"var\": \"tenant\"}, [" + String.join(",", tenants) + "]]}"));
    }

    @Test
    void shouldStopNestedArrayOperationsThatExceedTheStepBudget() throws TargetingCompileException {
        Evaluator evaluator = evaluatorFor(
                Map.of(),
                "{\"if\": [{\"some\": [{\"var\": \"rows\"}, {\"some\": [{\"var\": \"\"}, {\"==\": [{\"var\": \"\"}, -1]}]}]}, \"on\", \"off\"]}");
        List<List<Long>> rows = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            rows.add(LongStream.range(0, 300).boxed().toList());
        }

        EvaluationResult result = assertTimeoutPreemptively(
                Duration.ofSeconds(1), () -> evaluator.evaluate("budget", EvaluationContext.of(Map.of("rows", rows))));

        assertEquals(Reason.ERROR, result.reason());
        assertEquals(ErrorCode.GENERAL, result.errorCode());
        assertTrue(result.errorMessage().contains("budget"), result.errorMessage());
        EvaluationResult small = evaluator.evaluate("budget", EvaluationContext.of(Map.of("rows", rows.subList(0, 3))));
        assertEquals("off", small.variant());
    }

    /** A reduce that scans its growing accumulator each step is quadratic in the context; its scans are paid for. */
    @Test
    void shouldChargeDataSizesSoQuadraticWorkStops() throws TargetingCompileException {
        Evaluator evaluator = evaluatorFor(Map.of(), """
                {"if": [{"reduce": [{"var": "ids"},
                                    {"if": [{"in": [{"var": "current"}, {"var": "accumulator"}]},
                                            {"var": "accumulator"},
                                            {"merge": [{"var": "accumulator"}, [{"var": "current"}]]}]},
                                    []]},
                        "on", "off"]}
                """);
        List<Long> ids = LongStream.range(0, 50_000).boxed().toList();

        EvaluationResult result = assertTimeoutPreemptively(
                Duration.ofSeconds(1), () -> evaluator.evaluate("budget", EvaluationContext.of(Map.of("ids", ids))));

        assertEquals(ErrorCode.GENERAL, result.errorCode());
        assertEquals(
                "on",
                evaluator
                        .evaluate("budget", EvaluationContext.of(Map.of("ids", ids.subList(0, 50))))
                        .variant());
    }

    /** Every read of a context value costs its size, so a large string read by many nodes stops early too. */
    @Test
    void shouldChargeEveryReadOfALargeContextValue() throws TargetingCompileException {
        StringBuilder sum = new StringBuilder("{\"if\": [{\">\": [{\"+\": [");
        for (int i = 0; i < 500; i++) {
            sum.append(i == 0 ? "" : ",").append("{\"var\": \"digits\"}");
        }
        Evaluator evaluator =
                evaluatorFor(Map.of(), sum.append("]}, 0]}, \"on\", \"off\"]}").toString());

        EvaluationResult large = assertTimeoutPreemptively(
                Duration.ofSeconds(1),
                () -> evaluator.evaluate("budget", EvaluationContext.of(Map.of("digits", "1".repeat(100_000)))));
        EvaluationResult small = evaluator.evaluate("budget", EvaluationContext.of(Map.of("digits", "12")));

        assertEquals(ErrorCode.GENERAL, large.errorCode());
        assertEquals("on", small.variant());
    }

    @Test
    void shouldGiveEveryEvaluationItsOwnBudget() throws TargetingCompileException {
        Evaluator evaluator = evaluatorFor(
                Map.of(),
                "{\"if\": [{\"all\": [{\"var\": \"xs\"}, {\">=\": [{\"var\": \"\"}, 0]}]}, \"on\", \"off\"]}");
        List<Long> xs = LongStream.range(0, 1_000).boxed().toList();

        for (int i = 0; i < 100; i++) {
            assertEquals(
                    "on",
                    evaluator
                            .evaluate("budget", EvaluationContext.of(Map.of("xs", xs)))
                            .variant());
        }
    }

    private static String nested(int depth) {
        String rule = "{\"var\": \"x\"}";
        for (int i = 0; i < depth; i++) {
            rule = "{\"!\": [" + rule + "]}";
        }
        return rule;
    }

    private static List<TargetingProblem> problems(String targeting) {
        return problemsWith(Map.of(), targeting);
    }

    private static List<TargetingProblem> problemsWith(Map<String, JsonNode> evaluators, String targeting) {
        try {
            new TargetingCompiler(evaluators).compile(Json.tree(targeting));
            return List.of();
        } catch (TargetingCompileException e) {
            return e.problems();
        }
    }

    private static Evaluator evaluatorFor(Map<String, JsonNode> evaluators, String targeting)
            throws TargetingCompileException {
        FlagDefinition flag = new FlagDefinition(
                "budget",
                FlagState.ENABLED,
                Map.of("on", true, "off", false),
                "off",
                new TargetingCompiler(evaluators).compile(Json.tree(targeting)),
                Map.of());
        return Evaluator.over(FlagSnapshot.of(new FlagSet(Map.of("budget", flag), evaluators, Map.of()), 1), CLOCK);
    }
}
