package io.reefline.benchmarks.flag;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.structured.Segment;
import io.reefline.flag.domain.structured.SegmentCondition;
import io.reefline.flag.domain.structured.SegmentOperator;
import io.reefline.flag.domain.structured.SegmentRule;
import io.reefline.flag.domain.structured.StructuredTargeting;
import io.reefline.flag.domain.structured.TenantInclusion;
import io.reefline.flag.domain.targeting.Targeting;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The flag evaluator on one thread (issue 4's targets: one flag with three rules, one of them a segment and one a
 * fractional split, at a median of at most 300 ns; 200 such flags for one context in at most 60 us).
 *
 * <p>The flag: excluded tenants (a list), then a segment (region in EU and at least 100 seats) giving "beta", then
 * 25% of tenants by {@code fractional}. Contexts miss the exclusion and the segment, so every evaluation walks all
 * three rules and hashes. They rotate over 1,024 tenants so branches and hashes do not repeat.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FlagEvaluatorBenchmark {

    private static final int TENANTS = 1_024;
    private static final int BULK_FLAGS = 200;

    private Evaluator oneFlag;
    private Evaluator twoHundredFlags;
    private EvaluationContext[] contexts;
    private int next;

    @Setup
    public void setUp() {
        Targeting targeting = threeRules().compile();
        oneFlag = Evaluator.over(
                FlagSnapshot.of(FlagSet.of(List.of(flag("new-checkout", targeting))), 1), Clock.systemUTC());
        List<FlagDefinition> flags = new ArrayList<>();
        for (int i = 0; i < BULK_FLAGS; i++) {
            flags.add(flag("feature-" + i, targeting));
        }
        twoHundredFlags = Evaluator.over(FlagSnapshot.of(FlagSet.of(flags), 1), Clock.systemUTC());
        contexts = new EvaluationContext[TENANTS];
        for (int i = 0; i < TENANTS; i++) {
            contexts[i] = new EvaluationContext(
                    "user-" + i,
                    Map.of("tenant", "tenant-" + i, "region", "us-east", "usage", Map.of("seats", 20 + i % 50)));
        }
    }

    private static StructuredTargeting threeRules() {
        Segment euLarge = Segment.of(
                "eu-large",
                SegmentCondition.of("region", SegmentOperator.IN, "eu-west", "eu-central"),
                SegmentCondition.of("usage.seats", SegmentOperator.GREATER_OR_EQUAL, 100));
        return new StructuredTargeting(
                TenantInclusion.percentage(25),
                Set.of("acme", "globex", "initech"),
                List.of(SegmentRule.of("beta", euLarge)),
                "on");
    }

    private static FlagDefinition flag(String key, Targeting targeting) {
        Map<String, Object> variants = new LinkedHashMap<>();
        variants.put("on", true);
        variants.put("off", false);
        variants.put("beta", true);
        return new FlagDefinition(key, FlagState.ENABLED, variants, "off", targeting, Map.of("owner", "checkout"));
    }

    private EvaluationContext nextContext() {
        next = (next + 1) & (TENANTS - 1);
        return contexts[next];
    }

    @Benchmark
    public EvaluationResult evaluateOneFlagWithThreeRules() {
        return oneFlag.evaluate("new-checkout", nextContext());
    }

    @Benchmark
    public List<EvaluationResult> evaluateTwoHundredFlagsForOneContext() {
        return twoHundredFlags.evaluateAll(nextContext());
    }
}
