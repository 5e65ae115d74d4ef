package io.reefline.rollout.upgrade.reconcile;

import java.time.Instant;

/** Per reef: whether it is configured, and the backoff after its API failed. */
public interface ReefBackoff {

    boolean configured(String reef);

    /** True while the reef waits out its backoff. */
    boolean waiting(String reef, Instant now);

    void failed(String reef, String error, Instant now);

    void succeeded(String reef);
}
