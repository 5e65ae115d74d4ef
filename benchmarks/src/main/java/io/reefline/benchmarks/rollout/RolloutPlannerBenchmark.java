package io.reefline.benchmarks.rollout;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Forecast;
import io.reefline.rollout.domain.plan.Planner;
import io.reefline.rollout.domain.policy.RingPolicy;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole-fleet forecast (canary draw, four rings of the default policy, in-flight limits, percentiles and histograms)
 * over 50 reefs, at three fleet sizes, to show the growth is close to linear.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class RolloutPlannerBenchmark {

    @Param({"1000", "10000", "100000"})
    int instances;

    private final Planner planner = new Planner();
    private final RingPolicy policy = RingPolicy.defaults();
    private final Instant shipAt = Instant.parse("2026-03-02T08:00:00Z");
    private List<Instance> fleet;
    private Release release;

    @Setup
    public void setUp() {
        fleet = RolloutFleet.generate(instances, 50, 11);
        release = Release.of(Version.parse("2026.11.3"), "app:2026.11.3", "stable", shipAt, List.of("abc123"));
    }

    @Benchmark
    public Forecast forecast() {
        return planner.forecast(fleet, policy, release, shipAt, 42, List.of(), List.of());
    }
}
