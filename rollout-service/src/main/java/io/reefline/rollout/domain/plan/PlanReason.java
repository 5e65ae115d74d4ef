package io.reefline.rollout.domain.plan;

/**
 * Why an instance is planned the way it is. For scheduled instances it names what keeps the upgrade from starting at
 * {@code now}, which is what the live scheduler and an operator want to know.
 */
public enum PlanReason {
    /** On the release's version or a newer one; a release never downgrades. */
    ALREADY_ON_VERSION,
    /** An upgrade is running. */
    IN_FLIGHT,
    /** The customer opted out of automatic upgrades. */
    OPTED_OUT,
    /** Pinned to staff or laggard, and the policy has no ring for that pin. */
    PINNED_WITHOUT_RING,
    /** No ring of the policy selects it (e.g. no remainder ring). */
    NOT_IN_ANY_RING,
    /** Its upgrade to this release failed and was restored; its ring holds the later ones. */
    UPGRADE_FAILED,
    /**
     * Said of a ring: it has no member that can be upgraded (none selected, or all carried to later rings), so it holds
     * the release unless the policy marks it optional.
     */
    RING_EMPTY,
    /** The andon gate is closed: nothing starts. */
    GATE_CLOSED,
    /** The maintenance window is shorter than the expected upgrade duration. */
    NO_FITTING_WINDOW,
    /** No slot finishes before the deadline of the last ring it could be carried to. */
    NO_WINDOW_BEFORE_DEADLINE,
    /** May start now. */
    STARTS_NOW,
    /** Its ring opens later (the previous ring is not complete or still soaking). */
    WAITING_FOR_RING,
    /** The window is closed now, or has not enough time left to finish. */
    WAITING_FOR_WINDOW,
    /** A freeze covers it now. */
    FROZEN,
    /** Its reef is at the in-flight limit. */
    IN_FLIGHT_LIMIT
}
