package io.reefline.rollout.domain.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanaryAnalysisTest {

    private static final Instant START = Instant.parse("2026-12-02T20:00:00Z");
    private static final AnalysisSpec DEFAULTS = AnalysisSpec.defaults();

    /** {@code instances} instances, {@code windows} 15-second samples each, all with the same numbers. */
    private static List<Sample> fleet(
            String prefix,
            int instances,
            int windows,
            Long requests,
            Long errors,
            Double latencyMs,
            int healthFailures,
            int restarts) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            for (int w = 0; w < windows; w++) {
                Instant from = START.plusSeconds(15L * w);
                samples.add(new Sample(
                        prefix + i,
                        "reef-eu-1",
                        prefix.startsWith("canary") ? "2026.12.1" : "2026.11.4",
                        from,
                        from.plusSeconds(15),
                        requests,
                        errors,
                        latencyMs,
                        2,
                        healthFailures,
                        restarts));
            }
        }
        return samples;
    }

    private static MetricResult result(Verdict verdict, Metric metric) {
        return verdict.metrics().stream()
                .filter(r -> r.metric() == metric)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void shouldFailAClearlyWorseErrorRateEvenBeforeTheMinimumDuration() {
        // canary: 6 instances x 4 windows = 24 samples of 80 errors in 1000 requests (8.0 %);
        // control: 12 instances x 4 windows = 48 samples of 5 in 1000 (0.5 %). Every canary value beats every control
        // value: U = 24 * 48 = 1152, mean 576. Two tie groups, t = 24 and t = 48: sum(t^3 - t) = 13,800 + 110,544
        // = 124,344; N = 72, N (N - 1) = 5112; variance = 24 * 48 / 12 * (73 - 124,344 / 5112) = 96 * 48.676056
        // = 4672.90; sd = 68.358624; z = (1152 - 576 - 0.5) / 68.358624 = 8.4188354; p = P(Z > 8.4188) = 1.90e-17.
        // Margin: 0.08 - 0.005 = 0.075 >= 0.01 and 0.08 >= 0.005 * 1.5; bound = max(0.015, 0.0075) = 0.015.
        List<Sample> canary = fleet("canary-", 6, 4, 1000L, 80L, 100.0, 0, 0);
        List<Sample> control = fleet("control-", 12, 4, 1000L, 5L, 100.0, 0, 0);

        Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(2)));

        assertEquals(Outcome.FAIL, verdict.outcome());
        MetricResult errors = result(verdict, Metric.ERROR_RATE);
        assertEquals(Outcome.FAIL, errors.outcome());
        assertEquals(1152, errors.u());
        assertEquals(8.418835407053809, errors.z(), 1e-9);
        assertEquals(1.9012258586330473e-17, errors.pValue(), 1e-17 * 1e-6);
        assertEquals(0.015, errors.bound(), 1e-12);
        assertEquals(new Summary(24, 6, 0.08, 0.08, 0.08), errors.canary());
        assertEquals(new Summary(48, 12, 0.005, 0.005, 0.005), errors.control());
        assertEquals(Outcome.PASS, result(verdict, Metric.LATENCY).outcome());
        assertEquals(
                "FAIL: error-rate canary 8.0% vs control 0.5% (Mann-Whitney U=1152, p=1.9e-17 < 0.001;"
                        + " 6 canary, 12 control instances)",
                verdict.summary());
        assertEquals(
                List.of("canary-0", "canary-1", "canary-2", "canary-3", "canary-4", "canary-5"),
                verdict.canaryInstances());
        assertEquals(12, verdict.controlInstances());
        assertEquals(START, verdict.from());
        assertEquals(START.plus(Duration.ofMinutes(2)), verdict.to());
    }

    @Test
    void shouldPoolTheErrorRateOverRequestsNotAverageTheWindows() {
        // canary windows 0/10 and 30/1000 (rates 0 and 3 %): the mean of rates would be 1.5 %, the pooled rate is
        // 30 / 1010 = 2.97 %; a quiet window must not halve a busy one's errors
        List<Sample> canary = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            canary.addAll(fleet("canary-" + i + "-a", 1, 1, 10L, 0L, 100.0, 0, 0));
            canary.addAll(fleet("canary-" + i + "-b", 1, 1, 1000L, 30L, 100.0, 0, 0));
        }
        List<Sample> control = fleet("control-", 40, 1, 1000L, 5L, 100.0, 0, 0);

        MetricResult errors = result(CanaryAnalysis.judge(DEFAULTS, canary, control, START, START), Metric.ERROR_RATE);

        assertEquals(600.0 / 20200, errors.canary().mean(), 1e-12);
        assertEquals(0.015, errors.canary().median(), 1e-12); // between the 20 zeros and the 20 threes
    }

    @Test
    void shouldPassASignificantButHarmlessDifference() {
        // canary 0.6 % against control 0.5 %, the same layout as the clear failure: U = 1152, p = 1.9e-17 < 0.001,
        // but 0.006 - 0.005 = 0.001 < minAbsoluteIncrease 0.01 (and 0.006 < 0.005 * 1.5 = 0.0075): no practical harm.
        List<Sample> canary = fleet("canary-", 6, 4, 1000L, 6L, 100.0, 0, 0);
        List<Sample> control = fleet("control-", 12, 4, 1000L, 5L, 100.0, 0, 0);

        Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(5)));

        MetricResult errors = result(verdict, Metric.ERROR_RATE);
        assertTrue(errors.pValue() < 1e-16, "p " + errors.pValue());
        assertEquals(Outcome.PASS, errors.outcome());
        assertTrue(
                errors.explanation().endsWith("within the practical margin: failing needs at least 1.5%"),
                errors.explanation());
        assertEquals(Outcome.PASS, verdict.outcome());
    }

    @Test
    void shouldNeedBothMarginsAndFailExactlyAtThem() {
        // 0.5 % -> 1.4 %: relative +180 % but absolute +0.9 points < 1 point: PASS; 0.5 % -> 1.5 %: +1 point exactly
        // (0.015 - 0.005 is 0.009999999999999998 in floating point; the margin still counts as met) and x3: FAIL
        List<Sample> control = fleet("control-", 12, 4, 1000L, 5L, 100.0, 0, 0);

        Verdict below =
                CanaryAnalysis.judge(DEFAULTS, fleet("canary-", 6, 4, 1000L, 14L, 100.0, 0, 0), control, START, START);
        Verdict at =
                CanaryAnalysis.judge(DEFAULTS, fleet("canary-", 6, 4, 1000L, 15L, 100.0, 0, 0), control, START, START);

        assertEquals(Outcome.PASS, result(below, Metric.ERROR_RATE).outcome());
        assertEquals(Outcome.FAIL, result(at, Metric.ERROR_RATE).outcome());
    }

    @Test
    void shouldSayWhichSamplesAreMissing() {
        // 2 canary instances x 5 windows = 10 samples, the default wants 20 per side
        List<Sample> canary = fleet("canary-", 2, 5, 1000L, 80L, 100.0, 0, 0);
        List<Sample> control = fleet("control-", 12, 4, 1000L, 5L, 100.0, 0, 0);

        Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(10)));

        assertEquals(Outcome.INCONCLUSIVE, verdict.outcome());
        MetricResult errors = result(verdict, Metric.ERROR_RATE);
        assertEquals(Outcome.INCONCLUSIVE, errors.outcome());
        assertEquals("error-rate not judged: needs 20 canary samples, has 10 (from 2 instances)", errors.explanation());
        assertNull(errors.pValue());
        assertTrue(
                verdict.summary().startsWith("INCONCLUSIVE: error-rate not judged: needs 20 canary samples"),
                verdict.summary());
        // health-failures is a threshold with minSamples 10: judged on the canary's 10 samples alone
        assertEquals(Outcome.PASS, result(verdict, Metric.HEALTH_FAILURES).outcome());
    }

    @Test
    void shouldNameInstancesWithoutRequestCountersAndAMissingControl() {
        // the canaries expose no counters: 24 samples without an error rate; control has only 19 samples
        List<Sample> canary = fleet("canary-", 6, 4, null, null, 100.0, 0, 0);
        List<Sample> control = fleet("control-", 1, 19, 1000L, 5L, 100.0, 0, 0);

        MetricResult errors = result(CanaryAnalysis.judge(DEFAULTS, canary, control, START, START), Metric.ERROR_RATE);

        assertEquals(
                "error-rate not judged: needs 20 canary samples, has 0 (from 0 instances), 24 of 24 samples had no"
                        + " error-rate (no requests, or no request counters); needs 20 control samples, has 19"
                        + " (from 1 instance)",
                errors.explanation());
    }

    @Test
    void shouldPassOnlyOnceTheCanariesWereObservedForTheMinimumDuration() {
        List<Sample> canary = fleet("canary-", 6, 4, 1000L, 5L, 100.0, 0, 0);
        List<Sample> control = fleet("control-", 12, 4, 1000L, 5L, 100.0, 0, 0);

        Verdict early = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofSeconds(299)));
        Verdict onTime = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(5)));

        assertEquals(Outcome.INCONCLUSIVE, early.outcome());
        assertTrue(early.metrics().stream().allMatch(r -> r.outcome() == Outcome.PASS));
        assertEquals(
                "INCONCLUSIVE: all 4 metrics pass, but observed 4m59s of the 5m minimum"
                        + " (6 canary vs 12 control instances)",
                early.summary());
        assertEquals(Outcome.PASS, onTime.outcome());
        assertEquals("PASS: 4 metrics within bounds over 5m (6 canary vs 12 control instances)", onTime.summary());
    }

    @Test
    void shouldFailAThresholdOnlyAboveItsMax() {
        // health-failures, max 0.2, minSamples 10: 10 canary samples of 2 checks = 20 checks
        // 5 failed: 5 / 20 = 25 % > 20 % -> FAIL; 4 failed: 20 % is not above 20 % -> PASS. Control has no samples:
        // a threshold does not compare.
        AnalysisSpec spec = new AnalysisSpec(
                Duration.ofMinutes(1),
                Duration.ZERO,
                false,
                false,
                List.of(new MetricCheck(Metric.HEALTH_FAILURES, StatTest.THRESHOLD, 0.001, 0, 0, 10, 0.2)));
        List<Sample> fiveFailed = healthFailures(new int[] {2, 0, 1, 1, 1}); // canary-a 5, canary-b 0
        List<Sample> fourFailed = healthFailures(new int[] {1, 0, 1, 1, 1}); // canary-a 4, canary-b 0

        Verdict fail = CanaryAnalysis.judge(spec, fiveFailed, List.of(), START, START);
        Verdict pass = CanaryAnalysis.judge(spec, fourFailed, List.of(), START, START);

        MetricResult failed = result(fail, Metric.HEALTH_FAILURES);
        assertEquals(Outcome.FAIL, fail.outcome());
        assertEquals(0.25, failed.canary().mean(), 1e-12);
        assertEquals(0.2, failed.bound());
        assertEquals(
                "FAIL: health-failures canary 25.0% > max 20.0% (control 0.0%; 2 canary instances, 10 samples)",
                fail.summary());
        assertEquals(Outcome.PASS, pass.outcome());
        assertEquals(0.2, result(pass, Metric.HEALTH_FAILURES).canary().mean(), 1e-12);
    }

    /** canary-a's 5 windows with these failures of 2 checks each, canary-b's 5 windows with none. */
    private static List<Sample> healthFailures(int[] failuresOfA) {
        List<Sample> samples = new ArrayList<>();
        for (int w = 0; w < failuresOfA.length; w++) {
            Instant from = START.plusSeconds(15L * w);
            samples.add(new Sample(
                    "canary-a",
                    "reef-eu-1",
                    "2026.12.1",
                    from,
                    from.plusSeconds(15),
                    100L,
                    0L,
                    100.0,
                    2,
                    failuresOfA[w],
                    0));
        }
        samples.addAll(fleet("canary-b", 1, 5, 100L, 0L, 100.0, 0, 0));
        return samples;
    }

    @Test
    void shouldFailACrashLoopThatEveryHealthCheckMissed() {
        // control: 100 instances x 8 windows, no restart; canary: 10 instances x 8 windows, each restarted once
        // (1 window in 8), every health check passing. Restarts per window: canary 70 zeros and 10 ones, control
        // 800 zeros. U = 10 * 800 (a one beats every control zero) + 70 * 800 / 2 (zero ties) = 36,000; mean
        // 80 * 800 / 2 = 32,000. Tie groups 870 zeros and 10 ones: sum(t^3 - t) = 658,502,130 + 990 = 658,503,120;
        // N = 880, N (N - 1) = 773,520, ratio 851.30717; variance = 80 * 800 / 12 * (881 - 851.30717) = 158,361.77;
        // sd = 397.94695; z = (36,000 - 32,000 - 0.5) / 397.94695 = 10.050335; p = 4.6e-24 < 0.001.
        // Margin: mean 10 / 80 = 0.125 restarts per window against 0: +0.125 >= 0.05, and 0.125 >= 0 * (1 + 0).
        List<Sample> canary = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            canary.addAll(fleet("canary-" + i, 1, 7, 1000L, 5L, 100.0, 0, 0));
            canary.addAll(fleet("canary-" + i, 1, 1, 1000L, 5L, 100.0, 0, 1));
        }
        List<Sample> control = fleet("control-", 100, 8, 1000L, 5L, 100.0, 0, 0);

        Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(2)));

        MetricResult restarts = result(verdict, Metric.RESTARTS);
        assertEquals(Outcome.FAIL, verdict.outcome());
        assertEquals(36_000, restarts.u());
        assertEquals(10.050334607195657, restarts.z(), 1e-9);
        assertEquals(4.5778006075209495e-24, restarts.pValue(), 4.58e-24 * 1e-6);
        assertEquals(0.05, restarts.bound(), 1e-12);
        assertEquals(Outcome.PASS, result(verdict, Metric.HEALTH_FAILURES).outcome());
        assertEquals(
                "FAIL: restarts canary 0.125 restarts/window vs control 0.000 restarts/window (Mann-Whitney U=36000,"
                        + " p=4.6e-24 < 0.001; 10 canary, 100 control instances)",
                verdict.summary());
    }

    @Test
    void shouldFailADegradedBuildAfterAMinuteOfNoisyData() {
        // the sandbox's degraded build: 8 % errors and 400 ms, 6 canaries x 4 windows of 15 s = 24 samples (the
        // default wants 20 a side) against 114 noisy good controls; over 100 seeds, both metrics fail every time
        for (long seed = 1; seed <= 100; seed++) {
            Random random = new Random(seed);
            List<Sample> canary = GoodFleet.samples(random, "canary-", 6, 4, START).stream()
                    .map(s -> new Sample(
                            s.instanceId(),
                            s.reef(),
                            s.version(),
                            s.from(),
                            s.to(),
                            s.requests(),
                            Math.round(s.requests() * 0.08),
                            400 * s.latencyMs() / 100,
                            s.healthChecks(),
                            s.healthFailures(),
                            s.restarts()))
                    .toList();
            List<Sample> control = GoodFleet.samples(random, "control-", 114, 4, START);

            Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(1)));

            assertEquals(Outcome.FAIL, result(verdict, Metric.ERROR_RATE).outcome(), "seed " + seed);
            assertEquals(Outcome.FAIL, result(verdict, Metric.LATENCY).outcome(), "seed " + seed);
        }
    }

    @Test
    void shouldNeverFailWhenCanaryAndControlComeFromOneDistribution() {
        // 1,000 seeded fleets of good builds: 6 canaries and 114 controls, 20 windows each, drawn alike (per instance
        // a base error rate of 0.1-1 %, a latency level of 60-140 ms, a traffic level; per window jitter, now and
        // then an error spike, a rare restart or failed health check)
        int fails = 0;
        int passes = 0;
        List<String> failed = new ArrayList<>();
        for (long seed = 1; seed <= 1000; seed++) {
            Random random = new Random(seed);
            List<Sample> canary = GoodFleet.samples(random, "canary-", 6, 20, START);
            List<Sample> control = GoodFleet.samples(random, "control-", 114, 20, START);
            Verdict verdict = CanaryAnalysis.judge(DEFAULTS, canary, control, START, START.plus(Duration.ofMinutes(5)));
            if (verdict.outcome() == Outcome.FAIL) {
                fails++;
                failed.add("seed " + seed + ": " + verdict.summary());
            } else if (verdict.outcome() == Outcome.PASS) {
                passes++;
            }
        }
        System.out.println("equal distributions, 1000 seeds, default spec: " + fails + " FAIL, " + passes + " PASS, "
                + (1000 - fails - passes) + " INCONCLUSIVE");
        assertEquals(List.of(), failed);
        assertEquals(1000, passes);
    }
}
