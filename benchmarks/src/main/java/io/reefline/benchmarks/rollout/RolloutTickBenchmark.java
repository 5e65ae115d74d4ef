package io.reefline.benchmarks.rollout;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.InFlightUpgrade;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.plan.PlanRequest;
import io.reefline.rollout.domain.plan.Planner;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.RingPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * One live scheduler tick over the 2,000 instances of one reef: the Stable ring is open (release shipped four days
 * ago, staff and canaries done), two upgrades are in flight, and the planner answers what may start now.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class RolloutTickBenchmark {

    private final Planner planner = new Planner();
    private PlanRequest tick;

    @Setup
    public void setUp() {
        List<Instance> fleet = RolloutFleet.generate(2000, 1, 13);
        RingPolicy policy = RingPolicy.defaults();
        Instant shipped = Instant.parse("2026-03-02T08:00:00Z");
        Release release = Release.of(Version.parse("2026.11.3"), "app:2026.11.3", "stable", shipped, List.of());
        RingAssignment assignment = RingAssignment.assign(policy, fleet, 42, List.of());
        Map<String, Instant> completedAt = new HashMap<>();
        List<Instance> upgraded = fleet.stream()
                .map(i -> {
                    String ring = assignment.ringOf(i.id()).orElse("");
                    if (!ring.equals("Staff") && !ring.equals("Canary")) {
                        return i;
                    }
                    completedAt.put(i.id(), shipped.plus(Duration.ofDays(ring.equals("Staff") ? 0 : 2)));
                    return new Instance(
                            i.id(),
                            i.reef(),
                            i.region(),
                            i.tenant(),
                            i.window(),
                            i.active(),
                            i.pinnedRing(),
                            i.optedOut(),
                            release.version());
                })
                .toList();
        Instant now = shipped.plus(Duration.ofDays(4)).plus(Duration.ofHours(2));
        List<InFlightUpgrade> inFlight = List.of(
                new InFlightUpgrade("i-10", "reef-0", now.minus(Duration.ofMinutes(5))),
                new InFlightUpgrade("i-11", "reef-0", now.minus(Duration.ofMinutes(20))));
        tick = PlanRequest.builder(upgraded, policy, release, assignment)
                .completedAt(completedAt)
                .inFlight(inFlight)
                .at(now);
    }

    @Benchmark
    public List<InstancePlan> startableNow() {
        return planner.startableNow(tick);
    }
}
