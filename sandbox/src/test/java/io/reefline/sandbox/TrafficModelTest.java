package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficModelTest {

    private static final String OLD = "registry.reefline.local/product:2026.11.0";
    private static final String NEW = "registry.reefline.local/product:2026.11.1";
    private static final String DEGRADED = "registry.reefline.local/product:2026.11.2-degraded";
    /** 2025-12-02T20:00:00Z: windows start on a phase boundary. */
    private static final long T0 = 1_764_705_600_000L;

    private static final long WINDOW = 15_000;
    private static final int INSTANCES = 1_600;

    private final TrafficModel model = new TrafficModel(42, ImageFaults.defaults());

    @Test
    void aTagNamesTheBehaviourRepositoryAndRegistryDoNot() {
        assertEquals(ImageBehaviour.DEGRADED, ImageBehaviour.of(DEGRADED));
        assertEquals(ImageBehaviour.CRASHLOOP, ImageBehaviour.of("product:2026.11.3-crashloop@sha256:0a1b"));
        assertEquals(ImageBehaviour.BROKEN, ImageBehaviour.of("product:2026.11.2-broken"));
        assertEquals(
                ImageBehaviour.GOOD, ImageBehaviour.of("registry.degraded.local:5000/crashloop/product:2026.11.1"));
        assertEquals(ImageBehaviour.GOOD, ImageBehaviour.of("product@sha256:0a1b"));
        assertEquals("2026.11.2-degraded", ImageBehaviour.tag(DEGRADED));
        assertEquals("latest", ImageBehaviour.tag("registry.local:5000/product"));
    }

    @Test
    void aDegradedBuildServesTheConfiguredErrorRateAndLatencyOverManyWindows() {
        for (ImageFaults faults : List.of(
                ImageFaults.defaults(),
                new ImageFaults(0.25, Duration.ofMillis(1_200), ImageFaults.DEFAULT_CRASHLOOP_EVERY))) {
            TrafficModel degraded = new TrafficModel(7, faults);
            long requests = 0;
            long errors = 0;
            double latency = 0;
            List<Double> windowRates = new ArrayList<>();
            for (int i = 1; i <= 200; i++) {
                for (int w = 0; w < 40; w++) {
                    TrafficModel.Counts window =
                            degraded.served(id(i), ImageBehaviour.DEGRADED, T0 + w * WINDOW, T0 + (w + 1) * WINDOW);
                    requests += window.requests();
                    errors += window.errors();
                    latency += window.latencySeconds();
                    if (window.requests() >= 100) {
                        windowRates.add((double) window.errors() / window.requests());
                    }
                }
            }
            double rate = (double) errors / requests;
            double meanLatencyMs = latency * 1000 / requests;
            assertEquals(faults.degradedErrorRate(), rate, faults.degradedErrorRate() * 0.05, "error rate " + faults);
            assertEquals(
                    faults.degradedLatency().toMillis(),
                    meanLatencyMs,
                    faults.degradedLatency().toMillis() * 0.03);
            // Not a flat line: windows vary around the rate.
            double[] rates = windowRates.stream()
                    .mapToDouble(Double::doubleValue)
                    .sorted()
                    .toArray();
            assertTrue(rates[rates.length / 10] < faults.degradedErrorRate() * 0.9, Arrays.toString(rates));
            assertTrue(rates[rates.length * 9 / 10] > faults.degradedErrorRate() * 1.1);
        }
    }

    @Test
    void goodBuildsServeTheirInstancesBaseLevelsFarBelowADegradedOne() {
        long requests = 0;
        long errors = 0;
        double latency = 0;
        for (int i = 1; i <= 400; i++) {
            TrafficModel.Levels levels = model.levels(id(i));
            assertTrue(levels.errorRate() >= 0.001 && levels.errorRate() <= 0.01, levels.toString());
            assertTrue(levels.latencyMs() >= 60 && levels.latencyMs() <= 140, levels.toString());
            assertTrue(levels.requestsPerSecond() >= 2 && levels.requestsPerSecond() <= 40, levels.toString());
            TrafficModel.Counts hour = model.served(id(i), ImageBehaviour.GOOD, T0, T0 + 3_600_000);
            requests += hour.requests();
            errors += hour.errors();
            latency += hour.latencySeconds();
        }
        double rate = (double) errors / requests;
        double meanLatencyMs = latency * 1000 / requests;
        assertTrue(rate > 0.001 && rate < 0.012, "error rate " + rate);
        assertTrue(meanLatencyMs > 60 && meanLatencyMs < 150, "latency " + meanLatencyMs);
    }

    @Test
    void theSameSeedGivesTheSameNumbersAndAnotherSeedOthers() {
        TrafficModel again = new TrafficModel(42, ImageFaults.defaults());
        TrafficModel other = new TrafficModel(43, ImageFaults.defaults());
        List<TrafficModel.Counts> first = windows(model);
        assertEquals(first, windows(again));
        List<TrafficModel.Counts> different = windows(other);
        long same = 0;
        for (int i = 0; i < first.size(); i++) {
            if (first.get(i).equals(different.get(i))) {
                same++;
            }
        }
        assertTrue(same < first.size() / 20, same + " of " + first.size() + " windows equal under another seed");
        assertNotEquals(model.levels(id(1)), other.levels(id(1)));
    }

    @Test
    void aGoodNewVersionCannotBeToldFromTheOld() {
        // Instances split as a canary selection would: every 20th is upgraded, the rest stay on the old version.
        List<Double> canaryErrors = new ArrayList<>();
        List<Double> controlErrors = new ArrayList<>();
        List<Double> canaryLatency = new ArrayList<>();
        List<Double> controlLatency = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            boolean canary = i % 20 == 0;
            InstanceTimeline timeline = new InstanceTimeline(
                    "reef-us-1", id(i), List.of(new PodRun(T0 - 60_000, canary ? NEW : OLD, true)));
            for (int w = 0; w < 20; w++) {
                SignalSample sample = timeline.sample(model, T0 + w * WINDOW, T0 + (w + 1) * WINDOW)
                        .orElseThrow();
                assertEquals(canary ? "2026.11.1" : "2026.11.0", sample.version());
                double rate = sample.requests() == 0 ? 0 : (double) sample.errors() / sample.requests();
                (canary ? canaryErrors : controlErrors).add(rate);
                (canary ? canaryLatency : controlLatency).add(sample.latencyMs());
            }
        }
        // Two-sample Kolmogorov-Smirnov at alpha 0.001: the same distribution of per-window numbers.
        double critical = 1.95
                * Math.sqrt((double) (canaryErrors.size() + controlErrors.size())
                        / ((double) canaryErrors.size() * controlErrors.size()));
        assertTrue(
                ks(canaryErrors, controlErrors) < critical, "error rates differ: D=" + ks(canaryErrors, controlErrors));
        assertTrue(
                ks(canaryLatency, controlLatency) < critical,
                "latencies differ: D=" + ks(canaryLatency, controlLatency));

        // And an upgrade to a good build leaves an instance's own numbers as they were.
        PodRun before = new PodRun(T0 - 60_000, OLD, true);
        PodRun after = new PodRun(T0 - 60_000, NEW, true);
        for (int i = 1; i <= 50; i++) {
            assertEquals(model.served(id(i), before, T0, T0 + 600_000), model.served(id(i), after, T0, T0 + 600_000));
        }
    }

    @Test
    void errorSpikesAreRareAndShort() {
        int spikes = 0;
        int longSpikes = 0;
        int windows = 0;
        for (int i = 1; i <= INSTANCES; i++) {
            double level = model.levels(id(i)).errorRate();
            boolean previous = false;
            for (int w = 0; w < 240; w++) {
                TrafficModel.Counts window =
                        model.served(id(i), ImageBehaviour.GOOD, T0 + w * WINDOW, T0 + (w + 1) * WINDOW);
                if (window.requests() < 200) {
                    previous = false;
                    continue; // too few requests to tell a spike from noise
                }
                windows++;
                boolean spike = window.errors() >= Math.max(10, 5 * level * window.requests());
                if (spike) {
                    spikes++;
                    if (previous) {
                        longSpikes++;
                    }
                }
                previous = spike;
            }
        }
        // One phase in 480 spikes (to 3-15 %); the mildest hide in the noise.
        double expected = windows * TrafficModel.SPIKE_CHANCE;
        assertTrue(spikes > expected * 0.5 && spikes < expected * 1.2, spikes + " spikes, expected about " + expected);
        // A spike lasts one window: two in a row are as rare as chance makes them.
        assertTrue(longSpikes <= spikes / 50, longSpikes + " of " + spikes + " spikes went on");
    }

    @Test
    void partsOfAWindowAddUpToTheWholeWindow() {
        for (int i = 1; i <= 50; i++) {
            TrafficModel.Counts whole = model.served(id(i), ImageBehaviour.DEGRADED, T0 + 3_000, T0 + 47_000);
            TrafficModel.Counts parts = model.served(id(i), ImageBehaviour.DEGRADED, T0 + 3_000, T0 + 9_123)
                    .plus(model.served(id(i), ImageBehaviour.DEGRADED, T0 + 9_123, T0 + 30_000))
                    .plus(model.served(id(i), ImageBehaviour.DEGRADED, T0 + 30_000, T0 + 47_000));
            assertEquals(whole.requests(), parts.requests());
            assertEquals(whole.errors(), parts.errors());
            assertEquals(whole.latencySeconds(), parts.latencySeconds(), 1e-6);
            for (long cut = T0; cut < T0 + 15_000; cut += 977) {
                TrafficModel.Counts piece = model.served(id(i), ImageBehaviour.DEGRADED, cut, cut + 977);
                assertTrue(piece.errors() <= piece.requests(), "errors never outnumber requests");
            }
        }
    }

    @Test
    void aCrashloopingContainerRestartsOnScheduleAndIsDownOnlyAroundEachRestart() {
        TrafficModel crashing =
                new TrafficModel(42, new ImageFaults(0.08, Duration.ofMillis(400), Duration.ofMinutes(2)));
        PodRun run = new PodRun(T0, "product:2026.11.3-crashloop", true);
        // Healthy from its start until 3 s before the first restart, 2 minutes in; up again 5 s after it.
        assertTrue(crashing.up(run, T0));
        assertTrue(crashing.up(run, T0 + 116_999));
        assertFalse(crashing.up(run, T0 + 117_000));
        assertFalse(crashing.up(run, T0 + 124_999));
        assertTrue(crashing.up(run, T0 + 125_000));
        assertFalse(crashing.up(run, T0 + 240_000));
        assertEquals(0, crashing.restarts(run, T0 + 119_999));
        assertEquals(1, crashing.restarts(run, T0 + 120_000));
        assertEquals(3, crashing.restarts(run, T0 + 360_000));
        assertEquals(T0 + 240_000, crashing.processStart(run, T0 + 300_000));
        // It serves nothing while down.
        List<long[]> spans = crashing.servingSpans(run, T0 + 100_000, T0 + 250_000);
        assertEquals(
                List.of("100000-117000", "125000-237000", "245000-250000"),
                spans.stream().map(s -> (s[0] - T0) + "-" + (s[1] - T0)).toList());
        assertEquals(
                TrafficModel.Counts.NONE,
                crashing.served("i-us1-001", run, T0 + 117_000, T0 + 125_000),
                "nothing served while down");
        // A good build neither restarts nor goes down.
        PodRun good = new PodRun(T0, OLD, true);
        assertEquals(0, crashing.restarts(good, T0 + 3_600_000));
        assertTrue(crashing.up(good, T0 + 120_000));
    }

    @Test
    void aWindowOfTheWholeFleetIsCheap() {
        List<InstanceTimeline> fleet = new ArrayList<>();
        for (int i = 1; i <= INSTANCES; i++) {
            String image = i % 100 == 0 ? DEGRADED : i % 101 == 0 ? "product:2026.11.3-crashloop" : OLD;
            fleet.add(new InstanceTimeline("reef-us-1", id(i), List.of(new PodRun(T0 - 86_400_000L, image, true))));
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 20; round++) {
            long from = T0 + round * WINDOW;
            long started = System.nanoTime();
            int samples = 0;
            for (InstanceTimeline timeline : fleet) {
                samples += timeline.sample(model, from, from + WINDOW).isPresent() ? 1 : 0;
            }
            best = Math.min(best, System.nanoTime() - started);
            assertEquals(INSTANCES, samples);
        }
        System.out.printf("One 15 s window of %d instances: %.2f ms%n", INSTANCES, best / 1e6);
        assertTrue(best < 50_000_000, "a window of the fleet took " + best / 1e6 + " ms");
    }

    private List<TrafficModel.Counts> windows(TrafficModel model) {
        List<TrafficModel.Counts> windows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            for (int w = 0; w < 10; w++) {
                windows.add(model.served(id(i), ImageBehaviour.GOOD, T0 + w * WINDOW, T0 + (w + 1) * WINDOW));
            }
        }
        return windows;
    }

    /** The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical distributions. */
    private static double ks(List<Double> a, List<Double> b) {
        double[] x = a.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] y = b.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < x.length && j < y.length) {
            double v = Math.min(x[i], y[j]);
            while (i < x.length && x[i] <= v) {
                i++;
            }
            while (j < y.length && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / x.length - (double) j / y.length));
        }
        return d;
    }

    static String id(int i) {
        return String.format("i-us1-%04d", i);
    }
}
