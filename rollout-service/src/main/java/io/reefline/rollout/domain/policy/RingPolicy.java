package io.reefline.rollout.domain.policy;

import io.reefline.rollout.domain.fleet.PinnedRing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ring policy, as data.
 *
 * @param rings in rollout order
 * @param inFlightLimitPerReef how many upgrades may run at once in one reef (one cluster, one database)
 * @param expectedUpgrade how long one upgrade takes; an upgrade only starts when its window stays open that long
 * @param canaryRotation K: an instance that was a random canary in the last K releases is not drawn again
 * @param soakChecks N: passing checks, spread over an upgrade's soak, that it needs to succeed; null leaves it to the
 *     service's {@code reefline.upgrades.soak-checks}
 */
public record RingPolicy(
        List<Ring> rings, int inFlightLimitPerReef, Duration expectedUpgrade, int canaryRotation, Integer soakChecks) {

    /** The most passing checks an upgrade's soak may ask for. */
    public static final int MAX_SOAK_CHECKS = 30;

    /** A policy that leaves the number of soak checks to the service's setting. */
    public RingPolicy(List<Ring> rings, int inFlightLimitPerReef, Duration expectedUpgrade, int canaryRotation) {
        this(rings, inFlightLimitPerReef, expectedUpgrade, canaryRotation, null);
    }

    /** The most rings a policy may have: a rollout is a handful of steps, and the board shows one column per ring. */
    public static final int MAX_RINGS = 20;

    /** The longest ring name: what an upgrade record's ring column holds. */
    public static final int MAX_RING_NAME = 40;

    /** The longest instance id an explicit ring may name: what the inventory's id column holds. */
    public static final int MAX_INSTANCE_ID = 253;

    public RingPolicy {
        rings = rings == null ? null : List.copyOf(rings);
    }

    /**
     * The talk's policy: the staff dog-food instance first, at once (1 day soak); then a random, rotating 5% of active
     * customers within 3 days; then Stable, two days later, for everyone else within a week; then the pinned laggards. Laggards is optional: a
     * fleet without pinned laggards finishes instead of holding; a fleet without a staff instance holds at Staff.
     */
    public static RingPolicy defaults() {
        return new RingPolicy(
                List.of(
                        new Ring(
                                "Staff",
                                new RingSelector.Pinned(PinnedRing.STAFF),
                                Duration.ofDays(1),
                                Duration.ofDays(1),
                                false),
                        new Ring(
                                "Canary", new RingSelector.Percentage(5), Duration.ofDays(2), Duration.ofDays(3), true),
                        new Ring("Stable", new RingSelector.Remainder(), Duration.ofDays(1), Duration.ofDays(7), true),
                        new Ring(
                                "Laggards",
                                new RingSelector.Pinned(PinnedRing.LAGGARD),
                                Duration.ZERO,
                                Duration.ofDays(7),
                                true,
                                true)),
                5,
                Duration.ofMinutes(30),
                3);
    }

    /** Every problem with this policy; empty when it is usable. */
    public List<Violation> validate() {
        List<Violation> violations = new ArrayList<>();
        if (inFlightLimitPerReef < 1) {
            violations.add(new Violation("inFlightLimitPerReef", "must be at least 1"));
        }
        if (expectedUpgrade == null || expectedUpgrade.isNegative() || expectedUpgrade.isZero()) {
            violations.add(new Violation("expectedUpgrade", "must be a positive duration"));
        }
        if (soakChecks != null && (soakChecks < 1 || soakChecks > MAX_SOAK_CHECKS)) {
            violations.add(new Violation("soakChecks", "must be between 1 and " + MAX_SOAK_CHECKS));
        }
        if (canaryRotation < 0) {
            violations.add(new Violation("canaryRotation", "must not be negative"));
        }
        if (rings == null || rings.isEmpty()) {
            violations.add(new Violation("rings", "at least one ring is required"));
            return violations;
        }
        if (rings.size() > MAX_RINGS) {
            violations.add(new Violation("rings", "at most " + MAX_RINGS + " rings, not " + rings.size()));
            return violations;
        }
        Set<String> names = new HashSet<>();
        Set<PinnedRing> pins = new HashSet<>();
        int remainders = 0;
        for (int i = 0; i < rings.size(); i++) {
            Ring ring = rings.get(i);
            String at = "rings[" + i + "]";
            if (ring == null) {
                violations.add(new Violation(at, "must not be null"));
                continue;
            }
            if (ring.name() == null || ring.name().isBlank()) {
                violations.add(new Violation(at + ".name", "must not be blank"));
            } else if (ring.name().length() > MAX_RING_NAME) {
                violations.add(new Violation(
                        at + ".name",
                        "at most " + MAX_RING_NAME + " characters, not "
                                + ring.name().length()));
            } else if (!names.add(ring.name().toLowerCase(Locale.ROOT))) {
                violations.add(new Violation(at + ".name", "'" + ring.name() + "' is used by another ring"));
            }
            if (ring.soak() == null || ring.soak().isNegative()) {
                violations.add(new Violation(at + ".soak", "must be zero or a positive duration"));
            }
            if (ring.deadline() == null
                    || ring.deadline().isNegative()
                    || ring.deadline().isZero()) {
                violations.add(new Violation(at + ".deadline", "must be a positive duration"));
            } else if (expectedUpgrade != null && ring.deadline().compareTo(expectedUpgrade) < 0) {
                violations.add(new Violation(at + ".deadline", "is shorter than the expected upgrade duration"));
            }
            RingSelector selector = ring.selector();
            if (selector == null) {
                violations.add(new Violation(at + ".selector", "must not be null"));
            } else if (selector instanceof RingSelector.Percentage p) {
                if (!(p.percent() > 0 && p.percent() <= 100)) {
                    violations.add(new Violation(at + ".selector.percent", "must be above 0 and at most 100"));
                }
            } else if (selector instanceof RingSelector.Remainder) {
                if (++remainders > 1) {
                    violations.add(new Violation(at + ".selector", "only one ring may take the remainder"));
                }
            } else if (selector instanceof RingSelector.Pinned p) {
                if (p.pin() == null || p.pin() == PinnedRing.NONE) {
                    violations.add(new Violation(at + ".selector.pin", "must be STAFF or LAGGARD"));
                } else if (!pins.add(p.pin())) {
                    violations.add(new Violation(at + ".selector.pin", p.pin() + " is selected by another ring"));
                }
            } else if (selector instanceof RingSelector.Explicit e) {
                if (e.instanceIds().isEmpty()) {
                    violations.add(new Violation(at + ".selector.instanceIds", "must name at least one instance"));
                } else if (e.instanceIds().stream().anyMatch(id -> id.isBlank() || id.length() > MAX_INSTANCE_ID)) {
                    violations.add(new Violation(
                            at + ".selector.instanceIds",
                            "each instance id must be 1 to " + MAX_INSTANCE_ID + " characters"));
                }
            }
            if (ring.analysis() != null) {
                violations.addAll(ring.analysis().validate(at + ".analysis"));
            }
        }
        return violations;
    }

    /** @throws IllegalArgumentException listing the violations, for callers that only accept valid policies */
    public RingPolicy requireValid() {
        List<Violation> violations = validate();
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException("invalid ring policy: " + violations);
        }
        return this;
    }

    public int indexOf(String ringName) {
        for (int i = 0; i < rings.size(); i++) {
            if (rings.get(i).name().equals(ringName)) {
                return i;
            }
        }
        return -1;
    }
}
