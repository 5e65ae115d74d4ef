package io.reefline.rollout.simulation;

import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.upgrade.reconcile.Gate;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * andon-service's gate: closed for a release while a cord on it is open (a failed upgrade's cord, once delivered),
 * closed in a reef while a reef cord flaps it shut, closed everywhere while andon-service cannot be reached (fail safe).
 * The answer is a function of the simulation's state at the moment, so the invariants can ask it again.
 */
final class SimGate implements Gate {

    private final FleetSimulation sim;
    private final Map<String, Instant> reefClosedUntil = new HashMap<>();
    private final Set<String> releasesWithOpenCords = new HashSet<>();
    private Instant outageUntil;
    long asked;

    SimGate(FleetSimulation sim) {
        this.sim = sim;
    }

    @Override
    public GateState ask(String releaseVersion, String reef, String ring) {
        asked++;
        return stateAt(sim.now, releaseVersion, reef);
    }

    GateState stateAt(Instant now, String releaseVersion, String reef) {
        if (outageUntil != null && now.isBefore(outageUntil)) {
            return GateState.closed("andon-service unreachable");
        }
        if (releasesWithOpenCords.contains(releaseVersion)) {
            return GateState.closed("open cord on release:" + releaseVersion);
        }
        Instant until = reefClosedUntil.get(reef);
        if (until != null && now.isBefore(until)) {
            return GateState.closed("open cord on reef:" + reef);
        }
        return GateState.OPEN;
    }

    void cordPulled(String releaseVersion) {
        releasesWithOpenCords.add(releaseVersion);
    }

    void flap(String reef, Instant until) {
        reefClosedUntil.put(reef, until);
    }

    void outage(Instant until) {
        outageUntil = until;
    }

    /** Calm: every reef cord resolved, andon-service reachable (release cords stay: the fix is a newer release). */
    void open() {
        reefClosedUntil.clear();
        outageUntil = null;
    }
}
