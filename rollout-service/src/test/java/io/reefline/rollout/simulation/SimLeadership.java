package io.reefline.rollout.simulation;

import io.reefline.rollout.upgrade.reconcile.Leadership;
import java.util.OptionalLong;

/**
 * One replica's view of the leadership row in {@link SimStore}. It believes it leads until a write is fenced out (then
 * {@link #lost()}), so after another replica took over it may act as a zombie for a while: its writes must fail.
 */
final class SimLeadership implements Leadership {

    private final SimStore store;
    private final String replica;
    private long term;

    SimLeadership(SimStore store, String replica) {
        this.store = store;
        this.replica = replica;
    }

    @Override
    public OptionalLong acquire() {
        if (term > 0) {
            return OptionalLong.of(term); // what it believes; the store's fence tells
        }
        if (store.holder == null) {
            store.holder = replica;
            store.term++;
        }
        if (replica.equals(store.holder)) {
            term = store.term;
            return OptionalLong.of(term);
        }
        return OptionalLong.empty();
    }

    @Override
    public void lost() {
        term = 0;
    }
}
