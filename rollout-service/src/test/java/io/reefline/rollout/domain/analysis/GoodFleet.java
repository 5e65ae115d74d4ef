package io.reefline.rollout.domain.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Samples of good builds with seeded noise, canary and control drawn alike. */
final class GoodFleet {

    private GoodFleet() {}

    static List<Sample> samples(Random random, String prefix, int instances, int windows, Instant start) {
        List<Sample> samples = new ArrayList<>(instances * windows);
        for (int i = 0; i < instances; i++) {
            double errorRate = 0.001 + 0.009 * random.nextDouble();
            double latency = 60 + 80 * random.nextDouble();
            double traffic = 50 + 450 * random.nextDouble();
            for (int w = 0; w < windows; w++) {
                long requests = Math.round(traffic * (0.7 + 0.6 * random.nextDouble()));
                double rate = random.nextDouble() < 0.01 ? 0.2 : errorRate;
                long errors = Math.min(requests, Math.round(requests * rate * (0.5 + random.nextDouble())));
                boolean restart = random.nextDouble() < 0.001;
                int healthFailures = restart ? 1 : random.nextDouble() < 0.005 ? 1 : 0;
                Instant from = start.plusSeconds(15L * w);
                samples.add(new Sample(
                        prefix + i,
                        "reef-" + (i % 3),
                        "v",
                        from,
                        from.plusSeconds(15),
                        requests,
                        errors,
                        latency * (0.85 + 0.3 * random.nextDouble()),
                        2,
                        healthFailures,
                        restart ? 1 : 0));
            }
        }
        return samples;
    }
}
