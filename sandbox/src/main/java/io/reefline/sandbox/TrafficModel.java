package io.reefline.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the sandbox's instances serve: requests, 5xx errors and latency, a pure function of (seed, instance, the
 * build's behaviour, time), so that a seed replays the same numbers and nothing has to be stored per instance.
 *
 * <p>Time is cut into {@value #PHASE_MILLIS} ms phases aligned to the epoch. Each instance has base levels drawn from
 * the seed and its id alone (an error rate of 0.1-1 %, a mean latency of 60-140 ms, 2-40 requests a second), so a good
 * upgrade does not change an instance's numbers at all. Each phase adds jitter (traffic, error rate, latency) and,
 * rarely ({@link #SPIKE_CHANCE}), a short error spike, on any instance whatever build it runs. A {@code degraded}
 * build serves the configured error rate and latency instead of its base levels. Part of a phase gets the share of the
 * phase's requests that falls into it (errors spread evenly over the requests), so counts over adjacent intervals add
 * up exactly to the count over both.
 *
 * <p>A {@code crashloop} build's container restarts every {@link ImageFaults#crashloopEvery()} after its pod started,
 * and is down (no answers, health failing) from a little before each restart until a little after it.
 */
final class TrafficModel {

    static final long PHASE_MILLIS = 15_000;
    /** One phase in 480 has an error spike: about one every two hours per instance. */
    static final double SPIKE_CHANCE = 1.0 / 480;

    private static final long LEVELS = Long.MIN_VALUE;

    private final long seed;
    private final ImageFaults faults;
    private final long crashloopEvery;
    private final long downBefore;
    private final long downAfter;

    /** An instance's base levels on a good build. */
    record Levels(double errorRate, double latencyMs, double requestsPerSecond) {}

    /** What an instance served over an interval; latency is the sum of the requests' latencies. */
    record Counts(long requests, long errors, double latencySeconds) {
        static final Counts NONE = new Counts(0, 0, 0);

        Counts plus(Counts other) {
            return new Counts(requests + other.requests, errors + other.errors, latencySeconds + other.latencySeconds);
        }
    }

    TrafficModel(long seed, ImageFaults faults) {
        this.seed = seed;
        this.faults = faults;
        this.crashloopEvery = faults.crashloopEvery().toMillis();
        // "A few seconds around each restart", but never most of a short period (tests use periods of seconds).
        this.downBefore = Math.min(3_000, crashloopEvery / 10);
        this.downAfter = Math.min(5_000, crashloopEvery / 6);
    }

    ImageFaults faults() {
        return faults;
    }

    Levels levels(String instanceId) {
        SplittableRandom random = new SplittableRandom(key(instanceId, LEVELS));
        double errorRate = 0.001 * Math.pow(10, random.nextDouble());
        double latencyMs = 60 + 80 * random.nextDouble();
        double requestsPerSecond = 2 * Math.pow(20, random.nextDouble());
        return new Levels(errorRate, latencyMs, requestsPerSecond);
    }

    /** What the instance serves over the whole phase {@code phase} (epoch millis / {@value #PHASE_MILLIS}). */
    Counts phase(String instanceId, ImageBehaviour behaviour, long phase) {
        if (behaviour == ImageBehaviour.BROKEN) {
            return Counts.NONE;
        }
        Levels levels = levels(instanceId);
        SplittableRandom random = new SplittableRandom(key(instanceId, phase));
        // Every draw is made whatever the build, so that builds share the same traffic and spikes.
        double traffic = Math.exp(0.2 * random.nextGaussian());
        double volume = random.nextGaussian();
        double errorJitter = random.nextGaussian();
        double latencyJitter = random.nextGaussian();
        boolean spike = random.nextDouble() < SPIKE_CHANCE;
        double spikeRate = 0.03 + 0.12 * random.nextDouble();
        double errorDraw = random.nextDouble();
        double errorGaussian = random.nextGaussian();

        double mean = levels.requestsPerSecond() * (PHASE_MILLIS / 1000.0) * traffic;
        long requests = Math.max(0, Math.round(mean + Math.sqrt(mean) * volume));
        double errorRate;
        double latencyMs;
        if (behaviour == ImageBehaviour.DEGRADED) {
            errorRate = faults.degradedErrorRate() * (1 + 0.2 * errorJitter);
            latencyMs = faults.degradedLatency().toMillis() * (1 + 0.1 * latencyJitter);
        } else {
            errorRate = levels.errorRate() * Math.exp(0.3 * errorJitter);
            latencyMs = levels.latencyMs() * Math.exp(0.1 * latencyJitter);
        }
        if (spike) {
            errorRate = Math.max(errorRate, spikeRate);
            latencyMs *= 1.5;
        }
        errorRate = Math.min(1, Math.max(0, errorRate));
        long errors = Math.min(requests, errors(requests * errorRate, errorDraw, errorGaussian));
        return new Counts(requests, errors, requests * Math.max(0, latencyMs) / 1000);
    }

    /** What a pod of {@code behaviour} serves over {@code [from, to)} while up the whole time. */
    Counts served(String instanceId, ImageBehaviour behaviour, long from, long to) {
        if (to <= from || behaviour == ImageBehaviour.BROKEN) {
            return Counts.NONE;
        }
        long requests = 0;
        long errors = 0;
        double latency = 0;
        for (long phase = Math.floorDiv(from, PHASE_MILLIS); phase * PHASE_MILLIS < to; phase++) {
            long start = phase * PHASE_MILLIS;
            Counts whole = phase(instanceId, behaviour, phase);
            if (whole.requests() == 0) {
                continue;
            }
            long a = Math.max(from, start) - start;
            long b = Math.min(to, start + PHASE_MILLIS) - start;
            long before = share(whole.requests(), a);
            long upTo = share(whole.requests(), b);
            requests += upTo - before;
            // Errors are spread evenly over the phase's requests: a part never has more errors than requests.
            errors += Math.floorDiv(upTo * whole.errors(), whole.requests())
                    - Math.floorDiv(before * whole.errors(), whole.requests());
            latency += whole.latencySeconds() * (upTo - before) / whole.requests();
        }
        return new Counts(requests, errors, latency);
    }

    /** What the pod of {@code run} served over {@code [from, to)}, leaving out the times it was down. */
    Counts served(String instanceId, PodRun run, long from, long to) {
        Counts total = Counts.NONE;
        for (long[] span : servingSpans(run, from, to)) {
            total = total.plus(served(instanceId, run.behaviour(), span[0], span[1]));
        }
        return total;
    }

    /** The parts of {@code [from, to)} in which the pod of {@code run} answers requests. */
    List<long[]> servingSpans(PodRun run, long from, long to) {
        long start = Math.max(from, run.sinceMillis());
        List<long[]> spans = new ArrayList<>();
        if (start >= to || !run.available() || run.behaviour() == ImageBehaviour.BROKEN) {
            return spans;
        }
        if (run.behaviour() != ImageBehaviour.CRASHLOOP) {
            spans.add(new long[] {start, to});
            return spans;
        }
        long cursor = start;
        long first = Math.max(1, Math.floorDiv(start - run.sinceMillis() - downAfter, crashloopEvery));
        for (long k = first; ; k++) {
            long restart = run.sinceMillis() + k * crashloopEvery;
            long downFrom = restart - downBefore;
            long downTo = restart + downAfter;
            if (downFrom >= to) {
                break;
            }
            if (downTo <= cursor) {
                continue;
            }
            if (downFrom > cursor) {
                spans.add(new long[] {cursor, downFrom});
            }
            cursor = Math.max(cursor, downTo);
        }
        if (cursor < to) {
            spans.add(new long[] {cursor, to});
        }
        return spans;
    }

    /** Whether the pod of {@code run} answers (requests and health checks) at {@code time}. */
    boolean up(PodRun run, long time) {
        if (time < run.sinceMillis() || !run.available() || run.behaviour() == ImageBehaviour.BROKEN) {
            return false;
        }
        if (run.behaviour() != ImageBehaviour.CRASHLOOP) {
            return true;
        }
        long sinceStart = time - run.sinceMillis();
        long next = (Math.floorDiv(sinceStart, crashloopEvery) + 1) * crashloopEvery;
        long previous = next - crashloopEvery;
        boolean afterPrevious = previous > 0 && sinceStart < previous + downAfter;
        return !afterPrevious && sinceStart < next - downBefore;
    }

    /** How often the container of {@code run} has restarted by {@code time} (the pod's restartCount). */
    long restarts(PodRun run, long time) {
        if (run.behaviour() != ImageBehaviour.CRASHLOOP || !run.available() || time < run.sinceMillis()) {
            return 0;
        }
        return Math.floorDiv(time - run.sinceMillis(), crashloopEvery);
    }

    /** When the product's process of {@code run} that runs at {@code time} started: the pod's start or last restart. */
    long processStart(PodRun run, long time) {
        return run.sinceMillis() + restarts(run, time) * crashloopEvery;
    }

    /** The share of {@code total} that falls before {@code offset} ms into a phase. */
    private static long share(long total, long offset) {
        return Math.floorDiv(total * offset, PHASE_MILLIS);
    }

    /** A Poisson draw (inverse transform) for small means, a normal approximation for large ones. */
    private static long errors(double mean, double uniform, double gaussian) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
        }
        double probability = Math.exp(-mean);
        double cumulative = probability;
        long k = 0;
        while (uniform > cumulative && k < 200) {
            k++;
            probability *= mean / k;
            cumulative += probability;
        }
        return k;
    }

    private long key(String instanceId, long phase) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < instanceId.length(); i++) {
            hash = (hash ^ instanceId.charAt(i)) * 0x100000001b3L;
        }
        return mix(mix(mix(seed) ^ hash) ^ phase);
    }

    /** The finaliser of SplitMix64: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
