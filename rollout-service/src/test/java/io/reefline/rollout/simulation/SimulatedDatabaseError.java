package io.reefline.rollout.simulation;

/** A failed database call (connection reset, serialization failure): the transaction rolled back, nothing was written. */
final class SimulatedDatabaseError extends RuntimeException {

    SimulatedDatabaseError(String where) {
        super("simulated database error " + where, null, false, false);
    }
}
