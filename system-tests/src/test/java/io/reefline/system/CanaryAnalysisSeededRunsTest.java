package io.reefline.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.analysis.CanaryAnalysis;
import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.sandbox.ImageFaults;
import io.reefline.sandbox.SeededTraffic;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Canary analysis on the sandbox's seeded traffic, release after release: the demo fleet (3 reefs of 40 instances),
 * six canaries drawn per release, the demo's Canary analysis (the default metrics, a look every 30 s, a PASS after 4
 * minutes), 15 s windows from the sandbox's traffic model (the numbers its instances' sidecars report), and the same
 * read-back interval as the reconcile loop. Each release starts at another time of another day, so it meets other
 * noise and other error spikes.
 *
 * <p>Good builds must never be stopped (a false stop costs a release and trust in the line); degraded builds must be
 * stopped, and how soon is printed as time to detect (from the first canary becoming available). The seeds are fixed,
 * so a run replays exactly; {@code -Dsim.releases=N} runs more of them.
 */
class CanaryAnalysisSeededRunsTest {

    static final int REEFS = 3;
    static final int PER_REEF = 40;
    static final int CANARIES = 6;
    static final Duration WINDOW = Duration.ofSeconds(15);
    static final Duration DEADLINE = Duration.ofMinutes(30);
    static final AnalysisSpec SPEC = new AnalysisSpec(
            Duration.ofSeconds(30),
            Duration.ofMinutes(4),
            false,
            false,
            AnalysisSpec.defaults().metrics());
    static final String OLD = "registry.reefline.local/product:2026.11.0";

    record Run(long seed, Outcome outcome, Duration after, String summary) {}

    @Test
    void twentyGoodReleasesInARowPullNoCord() {
        int releases = Integer.getInteger("sim.releases", 20);
        int stopped = 0;
        for (long seed = 1; seed <= releases; seed++) {
            String version = "2026.12." + seed;
            Run run = release(seed, "registry.reefline.local/product:" + version);
            System.out.printf(
                    "good release %s (seed %d): %s after %s: %s%n",
                    version, seed, run.outcome(), human(run.after()), run.summary());
            if (run.outcome() == Outcome.FAIL) {
                stopped++;
            }
            assertEquals(Outcome.PASS, run.outcome(), "release " + version + " did not pass: " + run.summary());
        }
        System.out.printf("%d good releases: %d false stops%n", releases, stopped);
        assertEquals(0, stopped);
    }

    @Test
    void degradedBuildsAreStoppedWithinMinutes() {
        int releases = Integer.getInteger("sim.releases", 20);
        List<Duration> detect = new ArrayList<>();
        for (long seed = 101; seed < 101 + releases; seed++) {
            Run run = release(seed, "registry.reefline.local/product:2026.12." + seed + "-degraded");
            assertEquals(Outcome.FAIL, run.outcome(), "seed " + seed + ": " + run.summary());
            detect.add(run.after());
        }
        Collections.sort(detect);
        Duration median = detect.get(detect.size() / 2);
        Duration max = detect.get(detect.size() - 1);
        System.out.printf(
                "%d degraded releases: all stopped; time to detect from the first canary: median %s, max %s%n",
                releases, human(median), human(max));
        assertTrue(max.compareTo(Duration.ofMinutes(5)) < 0, "max " + max);
    }

    /** One release through Canary: looks every interval until a verdict other than INCONCLUSIVE, or the deadline. */
    static Run release(long seed, String image) {
        SeededTraffic traffic = new SeededTraffic(seed, ImageFaults.defaults());
        Random draw = new Random(seed);
        List<String> fleet = new ArrayList<>();
        Map<String, String> reefOf = new HashMap<>();
        for (int reef = 0; reef < REEFS; reef++) {
            for (int n = 1; n <= PER_REEF; n++) {
                String id = SeededTraffic.instanceId(reef, n);
                fleet.add(id);
                reefOf.put(id, "reef-" + reef);
            }
        }
        Collections.shuffle(fleet, draw);
        List<String> canaries = fleet.subList(0, CANARIES);
        // Another day and time for every release, on a window boundary.
        Instant start = Instant.parse("2026-12-01T00:00:00Z")
                .plus(Duration.ofHours(seed * 7))
                .plus(Duration.ofSeconds(15L * draw.nextInt(240)));
        Map<String, Instant> availableAt = new HashMap<>();
        for (int i = 0; i < canaries.size(); i++) {
            availableAt.put(canaries.get(i), start.plusSeconds(5L * i + 2));
        }
        Instant observedSince = start.plusSeconds(2);
        String version = image.substring(image.lastIndexOf(':') + 1);
        List<Sample> windows = new ArrayList<>();
        Instant reported = start.minus(SPEC.lookback()); // windows reported before the release, as the sidecars do
        for (Instant now = start.plus(SPEC.interval());
                !now.isAfter(start.plus(DEADLINE));
                now = now.plus(SPEC.interval())) {
            for (; !reported.plus(WINDOW).isAfter(now); reported = reported.plus(WINDOW)) {
                for (String id : fleet) {
                    Instant upgraded = availableAt.get(id);
                    boolean onNew = upgraded != null && !reported.isBefore(upgraded);
                    if (upgraded != null && !onNew && reported.plus(WINDOW).isAfter(upgraded)) {
                        continue; // the window in which the pod was replaced is not reported
                    }
                    SeededTraffic.Window served =
                            traffic.served(id, onNew ? image : OLD, reported, reported.plus(WINDOW));
                    windows.add(new Sample(
                            id,
                            reefOf.get(id),
                            onNew ? version : "2026.11.0",
                            reported,
                            reported.plus(WINDOW),
                            served.requests(),
                            served.errors(),
                            served.requests() == 0 ? null : served.latencyMs(),
                            3,
                            0,
                            0));
                }
            }
            Instant from =
                    observedSince.isAfter(now.minus(SPEC.lookback())) ? observedSince : now.minus(SPEC.lookback());
            List<Sample> canary = new ArrayList<>();
            List<Sample> control = new ArrayList<>();
            for (Sample s : windows) {
                if (s.from().isBefore(from) || s.from().isAfter(now)) {
                    continue;
                }
                if (availableAt.containsKey(s.instanceId())) {
                    if (s.version().equals(version) && !s.from().isBefore(availableAt.get(s.instanceId()))) {
                        canary.add(s);
                    }
                } else {
                    control.add(s);
                }
            }
            Verdict verdict = CanaryAnalysis.judge(SPEC, canary, control, observedSince, now);
            if (verdict.outcome() != Outcome.INCONCLUSIVE) {
                return new Run(seed, verdict.outcome(), Duration.between(observedSince, now), verdict.summary());
            }
        }
        return new Run(seed, Outcome.INCONCLUSIVE, DEADLINE, "still inconclusive at the deadline");
    }

    static String human(Duration d) {
        return d.toMinutes() + "m" + String.format("%02d", d.toSecondsPart()) + "s";
    }
}
