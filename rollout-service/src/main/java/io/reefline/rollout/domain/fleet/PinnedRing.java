package io.reefline.rollout.domain.fleet;

/** The optional {@code reefline.io/ring} pin of an instance. Pinned instances are never drawn as random canaries. */
public enum PinnedRing {
    NONE,
    STAFF,
    LAGGARD
}
