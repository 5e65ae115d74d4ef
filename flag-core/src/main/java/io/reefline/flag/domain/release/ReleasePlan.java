package io.reefline.flag.domain.release;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The talk's release sequence for one flag in one environment: off, then staff (listed tenants and, optionally,
 * everyone whose context says {@code ring = staff}), then early adopters who opted in, then a sticky percentage of
 * the remaining tenants growing from {@code rampFrom}% to 100% in {@code rampSteps} equal steps over {@code
 * rampPeriod}, and finally everyone. Excluded tenants never get the feature in any phase. Every phase keeps whoever
 * the previous phases included, and the percentage only grows, so nobody who has the feature loses it.
 */
public record ReleasePlan(
        Set<String> staffTenants,
        boolean staffRing,
        Duration staffFor,
        Set<String> earlyAdopters,
        Duration earlyAdoptersFor,
        int rampFrom,
        int rampSteps,
        Duration rampPeriod,
        Set<String> excludedTenants) {

    /** The context attribute and value that make someone staff. */
    public static final String RING_ATTRIBUTE = "ring";

    public static final String STAFF_RING = "staff";

    public ReleasePlan {
        staffTenants = Set.copyOf(new LinkedHashSet<>(staffTenants));
        earlyAdopters = Set.copyOf(new LinkedHashSet<>(earlyAdopters));
        excludedTenants = Set.copyOf(new LinkedHashSet<>(excludedTenants));
        Objects.requireNonNull(staffFor, "staffFor");
        Objects.requireNonNull(earlyAdoptersFor, "earlyAdoptersFor");
        Objects.requireNonNull(rampPeriod, "rampPeriod");
        if (staffFor.isNegative() || earlyAdoptersFor.isNegative() || rampPeriod.isNegative()) {
            throw new IllegalArgumentException("phase durations must not be negative");
        }
        if (rampFrom < 1 || rampFrom > 99) {
            throw new IllegalArgumentException("the ramp starts at 1 to 99 percent, not " + rampFrom);
        }
        if (rampSteps < 1 || rampSteps > 100) {
            throw new IllegalArgumentException("the ramp has 1 to 100 steps, not " + rampSteps);
        }
    }

    /**
     * One phase: who has the feature while it lasts and how long it lasts before the next one is due ({@code null}
     * for the last phase, which lasts).
     *
     * @param tenants tenants that have it by name (staff and early adopters so far)
     * @param staffRing whether contexts with {@code ring = staff} have it
     * @param percent the sticky percentage of all other tenants that have it (0 to 100)
     */
    public record Phase(int index, String name, Set<String> tenants, boolean staffRing, int percent, Duration lasts) {

        public boolean last() {
            return lasts == null;
        }
    }

    /** Every phase in order: off, staff, early adopters, each ramp step, everyone. */
    public List<Phase> phases() {
        List<Phase> phases = new ArrayList<>();
        phases.add(new Phase(0, "off", Set.of(), false, 0, Duration.ZERO));
        phases.add(new Phase(1, "staff", staffTenants, staffRing, 0, staffFor));
        Set<String> early = new LinkedHashSet<>(staffTenants);
        early.addAll(earlyAdopters);
        phases.add(new Phase(2, "early-adopters", Set.copyOf(early), staffRing, 0, earlyAdoptersFor));
        Duration step = rampPeriod.dividedBy(rampSteps);
        for (int i = 0; i < rampSteps; i++) {
            phases.add(new Phase(
                    phases.size(), "ramp-" + rampPercent(i) + "%", Set.copyOf(early), staffRing, rampPercent(i), step));
        }
        phases.add(new Phase(phases.size(), "everyone", Set.copyOf(early), staffRing, 100, null));
        return List.copyOf(phases);
    }

    /** The percentage of step {@code i} (from 0): {@code rampFrom} first, growing evenly towards 100. */
    int rampPercent(int i) {
        return rampFrom + (100 - rampFrom) * i / rampSteps;
    }
}
