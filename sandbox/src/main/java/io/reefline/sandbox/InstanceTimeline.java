package io.reefline.sandbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The pods one instance has run, newest last, and what follows from them and the {@link TrafficModel}: its health at
 * a moment, the counters its metrics endpoint shows, and the signal sample its sidecar reports for a window.
 */
record InstanceTimeline(String reef, String instanceId, List<PodRun> runs) {

    /** The sidecar checks health every 5 s, at whole multiples of it. */
    static final long HEALTH_CHECK_EVERY_MILLIS = 5_000;

    /** The counters of the product's process, as its metrics endpoint shows them. */
    record Counters(long requests, long errors, double latencySeconds, long processStartMillis) {}

    InstanceTimeline {
        runs = List.copyOf(runs);
    }

    /** The pod running at {@code time}: the newest one started by then. */
    Optional<PodRun> runAt(long time) {
        for (int i = runs.size() - 1; i >= 0; i--) {
            if (runs.get(i).sinceMillis() <= time) {
                return Optional.of(runs.get(i));
            }
        }
        return Optional.empty();
    }

    boolean up(TrafficModel model, long time) {
        return runAt(time).map(run -> model.up(run, time)).orElse(false);
    }

    /** The counters at {@code time}, counted since the process started; empty while nothing answers. */
    Optional<Counters> counters(TrafficModel model, long time) {
        Optional<PodRun> run = runAt(time);
        if (run.isEmpty() || !model.up(run.get(), time)) {
            return Optional.empty();
        }
        long processStart = model.processStart(run.get(), time);
        TrafficModel.Counts counts = model.served(instanceId, run.get(), processStart, time);
        return Optional.of(new Counters(counts.requests(), counts.errors(), counts.latencySeconds(), processStart));
    }

    /**
     * The sample the sidecar of the pod running at the end of {@code [from, to)} reports for the window: from the
     * window's start, or from the pod's start (to the second) when it replaced another one within the window. The
     * replaced pod's part of the window went with it. Empty when no pod ran in the window.
     */
    Optional<SignalSample> sample(TrafficModel model, long from, long to) {
        Optional<PodRun> found = runAt(to - 1);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        PodRun run = found.get();
        long start = Math.max(from, run.sinceMillis());
        int checks = 0;
        int failures = 0;
        long firstCheck = Math.floorDiv(start + HEALTH_CHECK_EVERY_MILLIS - 1, HEALTH_CHECK_EVERY_MILLIS);
        for (long check = firstCheck * HEALTH_CHECK_EVERY_MILLIS; check < to; check += HEALTH_CHECK_EVERY_MILLIS) {
            checks++;
            if (!model.up(run, check)) {
                failures++;
            }
        }
        Long requests = null;
        Long errors = null;
        Double latencyMs = null;
        if (run.available() && run.behaviour() != ImageBehaviour.BROKEN) {
            TrafficModel.Counts counts = model.served(instanceId, run, start, to);
            requests = counts.requests();
            errors = counts.errors();
            latencyMs = counts.requests() == 0 ? null : counts.latencySeconds() * 1000 / counts.requests();
        }
        int restarts = (int) (model.restarts(run, to - 1) - model.restarts(run, start - 1));
        return Optional.of(new SignalSample(
                instanceId,
                reef,
                run.version(),
                Instant.ofEpochSecond(Math.floorDiv(start, 1000)),
                Instant.ofEpochMilli(to),
                requests,
                errors,
                latencyMs,
                checks,
                failures,
                restarts));
    }
}
