package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.plan.GateState;

/** The andon gate: may this release move in this reef and ring now? Closed when it cannot be asked (fail safe). */
@FunctionalInterface
public interface Gate {
    GateState ask(String releaseVersion, String reef, String ring);
}
