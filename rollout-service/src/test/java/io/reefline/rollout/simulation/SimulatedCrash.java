package io.reefline.rollout.simulation;

/**
 * The process dies here. An {@link Error}, not a {@link RuntimeException}, so the reconcile loop's own "report and retry
 * next tick" handlers do not swallow it: it unwinds the whole tick, as a killed JVM would, and the simulation restarts
 * the replica from the store.
 */
final class SimulatedCrash extends Error {

    SimulatedCrash(String where) {
        super("simulated crash " + where, null, false, false);
    }
}
