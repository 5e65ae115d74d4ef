package io.reefline.benchmarks.flag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import io.reefline.flag.domain.targeting.TargetingLimits;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The worst rules the evaluation budget ({@link TargetingLimits}) lets through, on one thread (issue 13's target:
 * no stored rule makes one evaluation take more than about a millisecond). Each is built to sit just inside a limit
 * and checked in {@link #setUp} to evaluate without hitting it:
 *
 * <ul>
 *   <li>{@code loopOfSemVers}: {@code some} over 1,249 version strings of 15 characters (the most a 10,000-step
 *       budget allows for this body: 8 steps an element), each parsed and compared by {@code sem_ver}, none
 *       matching, so every element is visited;
 *   <li>{@code loopOfDynamicVars}: {@code some} over 1,110 dotted paths of 13 characters, each split and looked up
 *       by a computed {@code var} (9 steps an element: the element, the expression's 4 nodes, the path's 4);
 *   <li>{@code missingKeys}: {@code missing} over 1,999 dotted keys of 13 characters read from the context (5 steps
 *       a key: 1 to read it in the list, 4 to split and look it up);
 *   <li>{@code largestStaticRule}: 1,914 nodes (the node limit is 2,000) made of shared evaluators referenced twice
 *       per level, 240 {@code sem_ver}s joined by {@code and}, all true so none is skipped.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlagEvaluatorBudgetBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Evaluator loopOfSemVers;
    private EvaluationContext versions;
    private Evaluator loopOfDynamicVars;
    private EvaluationContext paths;
    private Evaluator missingKeys;
    private EvaluationContext keys;
    private Evaluator largestStaticRule;
    private EvaluationContext version;

    @Setup
    public void setUp() {
        loopOfSemVers = evaluator(
                Map.of(),
                "{\"if\": [{\"some\": [{\"var\": \"versions\"}, {\"sem_ver\": [{\"var\": \"\"}, \"<\", \"0.0.1\"]}]},"
                        + " \"on\", \"off\"]}");
        List<String> versionList = new ArrayList<>();
        for (int i = 0; i < 1_249; i++) {
            versionList.add("1.2." + (i % 10) + "-rc.1+b.55"); // 15 characters: one step less than a charged string
        }
        versions = new EvaluationContext("user-1", Map.of("versions", versionList));

        loopOfDynamicVars = evaluator(
                Map.of(),
                "{\"if\": [{\"some\": [{\"var\": \"paths\"}, {\"var\": {\"var\": \"\"}}]}, \"on\", \"off\"]}");
        List<String> pathList = new ArrayList<>();
        for (int i = 0; i < 1_110; i++) {
            pathList.add("a.b.c.d.e.f." + (i % 10));
        }
        paths = new EvaluationContext("user-1", Map.of("paths", pathList));

        missingKeys = evaluator(Map.of(), "{\"if\": [{\"missing\": {\"var\": \"keys\"}}, \"off\", \"on\"]}");
        List<String> keyList = new ArrayList<>();
        for (int i = 0; i < 1_999; i++) {
            keyList.add("a.b.c.d.e.f." + (i % 10));
        }
        keys = new EvaluationContext("user-1", Map.of("keys", keyList));

        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        evaluators.put("e0", tree("{\"sem_ver\": [{\"var\": \"v\"}, \">=\", \"1.0.0\"]}"));
        for (int i = 1; i <= 7; i++) {
            evaluators.put(
                    "e" + i, tree("{\"and\": [{\"$ref\": \"e" + (i - 1) + "\"}, {\"$ref\": \"e" + (i - 1) + "\"}]}"));
        }
        largestStaticRule = evaluator(
                evaluators,
                "{\"if\": [{\"and\": [{\"$ref\": \"e7\"}, {\"$ref\": \"e6\"}, {\"$ref\": \"e5\"}, {\"$ref\": \"e4\"}]},"
                        + " \"on\", \"off\"]}");
        version = new EvaluationContext("user-1", Map.of("v", "2.3.4-beta.7"));

        check(loopOfSemVers.evaluate("worst", versions), "off");
        check(loopOfDynamicVars.evaluate("worst", paths), "off");
        check(missingKeys.evaluate("worst", keys), "off");
        check(largestStaticRule.evaluate("worst", version), "on");
    }

    private static void check(EvaluationResult result, String variant) {
        if (!variant.equals(result.variant())) {
            throw new IllegalStateException("the worst rule must run to the end within its budget: " + result);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Evaluator evaluator(Map<String, JsonNode> evaluators, String targeting) {
        try {
            FlagDefinition flag = new FlagDefinition(
                    "worst",
                    FlagState.ENABLED,
                    Map.of("on", true, "off", false),
                    "off",
                    new TargetingCompiler(evaluators).compile(tree(targeting)),
                    Map.of());
            return Evaluator.over(
                    FlagSnapshot.of(new FlagSet(Map.of("worst", flag), evaluators, Map.of()), 1), Clock.systemUTC());
        } catch (TargetingCompileException e) {
            throw new IllegalStateException("the worst rule must be allowed: " + e.getMessage(), e);
        }
    }

    @Benchmark
    public EvaluationResult loopOfSemVers() {
        return loopOfSemVers.evaluate("worst", versions);
    }

    @Benchmark
    public EvaluationResult loopOfDynamicVars() {
        return loopOfDynamicVars.evaluate("worst", paths);
    }

    @Benchmark
    public EvaluationResult missingKeys() {
        return missingKeys.evaluate("worst", keys);
    }

    @Benchmark
    public EvaluationResult largestStaticRule() {
        return largestStaticRule.evaluate("worst", version);
    }
}
