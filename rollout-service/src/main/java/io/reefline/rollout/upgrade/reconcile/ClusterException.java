package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.upgrade.ClusterFault;

/** A Kubernetes call that failed; {@link #fault()} says whether the reef or the one request is to blame. */
public final class ClusterException extends RuntimeException {

    private final int status;

    /** @param status the HTTP status of the answer, 0 when there was none */
    public ClusterException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public ClusterException(int status, String message) {
        this(status, message, null);
    }

    public int status() {
        return status;
    }

    public ClusterFault fault() {
        return ClusterFault.of(status);
    }
}
