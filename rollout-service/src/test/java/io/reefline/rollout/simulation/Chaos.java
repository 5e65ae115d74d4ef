package io.reefline.rollout.simulation;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The one seeded random stream of a run, and the fault switch. Every fault goes through {@link #roll}, which counts it;
 * once the run is calm no fault fires (and no random number is drawn for one).
 */
final class Chaos {

    final Random random;
    final SimConfig config;
    private boolean calm;
    private final Map<String, Long> injected = new TreeMap<>();

    Chaos(SimConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    boolean calm() {
        return calm;
    }

    void calm(boolean calm) {
        this.calm = calm;
    }

    /** True (and counted under {@code kind}) with probability {@code rate}, never when calm. */
    boolean roll(String kind, double rate) {
        if (calm || rate <= 0) {
            return false;
        }
        if (random.nextDouble() < rate) {
            injected.merge(kind, 1L, Long::sum);
            return true;
        }
        return false;
    }

    /** Counts a fault decided elsewhere. */
    void count(String kind) {
        injected.merge(kind, 1L, Long::sum);
    }

    /** The process dies at {@code where} with the configured crash rate. */
    void maybeCrash(String where) {
        if (roll("crash", config.crashRate())) {
            throw new SimulatedCrash(where);
        }
    }

    /** A database call fails at {@code where} (rolled back) with the configured rate. */
    void maybeDatabaseError(String where) {
        if (roll("db-error", config.dbErrorRate())) {
            throw new SimulatedDatabaseError(where);
        }
    }

    /** Uniform in [lo, hi]. */
    int between(int lo, int hi) {
        return lo + random.nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    Map<String, Long> injected() {
        return injected;
    }

    long total() {
        return injected.values().stream().mapToLong(Long::longValue).sum();
    }
}
