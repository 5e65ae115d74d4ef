package io.reefline.benchmarks.rollout;

import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.analysis.CanaryAnalysis;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One look at the Canary ring of a 1,600-instance fleet: 80 canaries (5 %) against 1,520 control instances, 20
 * windows each (32,000 samples), the default spec's four metrics. Good builds with seeded noise, so every metric is
 * ranked in full (a failing look could stop early, but judge does not).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class CanaryAnalysisBenchmark {

    private static final Instant START = Instant.parse("2026-12-02T20:00:00Z");

    private final AnalysisSpec spec = AnalysisSpec.defaults();
    private List<Sample> canary;
    private List<Sample> control;

    @Setup
    public void setUp() {
        Random random = new Random(15);
        canary = samples(random, "canary-", 80, 20);
        control = samples(random, "control-", 1520, 20);
    }

    @Benchmark
    public Verdict judge() {
        return CanaryAnalysis.judge(spec, canary, control, START, START.plus(Duration.ofMinutes(5)));
    }

    private static List<Sample> samples(Random random, String prefix, int instances, int windows) {
        List<Sample> samples = new ArrayList<>(instances * windows);
        for (int i = 0; i < instances; i++) {
            double errorRate = 0.001 + 0.009 * random.nextDouble();
            double latency = 60 + 80 * random.nextDouble();
            double traffic = 50 + 450 * random.nextDouble();
            for (int w = 0; w < windows; w++) {
                long requests = Math.round(traffic * (0.7 + 0.6 * random.nextDouble()));
                long errors = Math.min(requests, Math.round(requests * errorRate * (0.5 + random.nextDouble())));
                Instant from = START.plusSeconds(15L * w);
                samples.add(new Sample(
                        prefix + i,
                        "reef-" + (i % 8),
                        prefix.startsWith("canary") ? "2026.12.1" : "2026.11.4",
                        from,
                        from.plusSeconds(15),
                        requests,
                        errors,
                        latency * (0.85 + 0.3 * random.nextDouble()),
                        2,
                        random.nextDouble() < 0.005 ? 1 : 0,
                        random.nextDouble() < 0.001 ? 1 : 0));
            }
        }
        return samples;
    }
}
