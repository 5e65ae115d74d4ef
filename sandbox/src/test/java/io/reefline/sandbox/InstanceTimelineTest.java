package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstanceTimelineTest {

    private static final long T0 = 1_764_705_600_000L;
    private static final String OLD = "registry.reefline.local/product:2026.11.0";
    private static final String CRASHLOOP = "registry.reefline.local/product:2026.11.3-crashloop";

    private final TrafficModel model =
            new TrafficModel(42, new ImageFaults(0.08, Duration.ofMillis(400), Duration.ofMinutes(2)));

    @Test
    void aWindowOfAGoodBuildCarriesItsCountsAndHealthChecks() {
        InstanceTimeline timeline = new InstanceTimeline("reef-eu-1", "i-eu1-001", List.of(new PodRun(T0, OLD, true)));
        SignalSample sample = timeline.sample(model, T0 + 15_000, T0 + 30_000).orElseThrow();
        TrafficModel.Counts counts = model.served("i-eu1-001", ImageBehaviour.GOOD, T0 + 15_000, T0 + 30_000);
        assertEquals("i-eu1-001", sample.instanceId());
        assertEquals("reef-eu-1", sample.reef());
        assertEquals("2026.11.0", sample.version());
        assertEquals(Instant.ofEpochMilli(T0 + 15_000), sample.from());
        assertEquals(Instant.ofEpochMilli(T0 + 30_000), sample.to());
        assertEquals(counts.requests(), sample.requests());
        assertEquals(counts.errors(), sample.errors());
        assertEquals(counts.latencySeconds() * 1000 / counts.requests(), sample.latencyMs(), 1e-9);
        assertEquals(3, sample.healthChecks(), "one check every 5 s");
        assertEquals(0, sample.healthFailures());
        assertEquals(0, sample.restarts());
        assertEquals("signal-i-eu1-001-" + (T0 / 1000 + 15), sample.idempotencyKey());
    }

    @Test
    void aPodThatReplacedAnotherWithinTheWindowReportsFromItsStart() {
        InstanceTimeline timeline = new InstanceTimeline(
                "reef-eu-1",
                "i-eu1-001",
                List.of(new PodRun(T0 - 60_000, OLD, true), new PodRun(T0 + 7_400, CRASHLOOP, true)));
        SignalSample sample = timeline.sample(model, T0, T0 + 15_000).orElseThrow();
        assertEquals("2026.11.3-crashloop", sample.version());
        assertEquals(Instant.ofEpochMilli(T0 + 7_000), sample.from(), "to the second");
        assertEquals(
                model.served("i-eu1-001", ImageBehaviour.CRASHLOOP, T0 + 7_400, T0 + 15_000)
                        .requests(),
                sample.requests());
        assertEquals(1, sample.healthChecks(), "of the checks every 5 s, only the one at 10 s is in [7.4 s, 15 s)");
    }

    @Test
    void aBrokenBuildExposesNoCountersAndFailsEveryCheck() {
        InstanceTimeline timeline = new InstanceTimeline(
                "reef-eu-1",
                "i-eu1-001",
                List.of(
                        new PodRun(T0 - 60_000, OLD, true),
                        new PodRun(T0 - 30_000, "product:2026.11.2-broken", false)));
        SignalSample sample = timeline.sample(model, T0, T0 + 15_000).orElseThrow();
        assertEquals("2026.11.2-broken", sample.version());
        assertNull(sample.requests());
        assertNull(sample.errors());
        assertNull(sample.latencyMs());
        assertEquals(3, sample.healthChecks());
        assertEquals(3, sample.healthFailures());
        assertTrue(sample.toJson().contains("\"requests\":null"), sample.toJson());
    }

    @Test
    void aCrashloopingPodReportsItsRestartsAndTheFailedChecksAroundThem() {
        InstanceTimeline timeline =
                new InstanceTimeline("reef-eu-1", "i-eu1-001", List.of(new PodRun(T0, CRASHLOOP, true)));
        int restarts = 0;
        int failures = 0;
        for (long from = T0; from < T0 + 600_000; from += 15_000) {
            SignalSample sample = timeline.sample(model, from, from + 15_000).orElseThrow();
            restarts += sample.restarts();
            failures += sample.healthFailures();
            if (from < T0 + 105_000) {
                assertEquals(0, sample.healthFailures(), "healthy until shortly before the first restart");
            }
        }
        assertEquals(4, restarts, "restarts at 2, 4, 6 and 8 minutes");
        assertEquals(4, failures, "down from 3 s before to 5 s after each restart: the check at the restart fails");
        // Its counters start again at each restart.
        Optional<InstanceTimeline.Counters> afterRestart = timeline.counters(model, T0 + 130_000);
        assertEquals(T0 + 120_000, afterRestart.orElseThrow().processStartMillis());
        assertEquals(
                model.served("i-eu1-001", ImageBehaviour.CRASHLOOP, T0 + 125_000, T0 + 130_000)
                        .requests(),
                afterRestart.get().requests());
        assertTrue(timeline.counters(model, T0 + 121_000).isEmpty(), "nothing answers while it restarts");
    }

    @Test
    void noPodNoSample() {
        InstanceTimeline timeline = new InstanceTimeline("reef-eu-1", "i-eu1-001", List.of(new PodRun(T0, OLD, true)));
        assertTrue(timeline.sample(model, T0 - 15_000, T0).isEmpty());
    }
}
