package io.reefline.rollout.upgrade.reconcile;

import java.util.OptionalLong;

/** Only one replica acts: the leader, in a numbered term that fences its writes. */
public interface Leadership {

    /** The current term when this replica leads (taking the lead if it is free); empty otherwise. Never throws. */
    OptionalLong acquire();

    /** A write found the term over: give the lead up, so the next tick asks for it (and a new term) afresh. */
    void lost();
}
