package io.reefline.rollout.domain.plan;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.plan.InstancePlan.Status;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.domain.window.WindowInterval;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * "If version V ships at T, when does each ring finish and when does the last customer get it?" Only the instances of
 * the release's channel are in it.
 *
 * @param lastCustomer when the last planned upgrade finishes, laggards included; null when nothing is planned
 * @param leadTimes from ship time to each non-laggard instance's upgrade
 * @param notPlannedByReason instances the release does not reach, by reason
 * @param windowStartsByReefAndHour per reef, how many instances have their window open at each UTC hour (0-23):
 *     where windows pile up
 * @param spillsByDay per UTC day, how many upgrades the in-flight limit pushed out of that day's window
 * @param canaryShortfalls random canary rings that drew fewer instances than their target, because too few eligible
 *     instances have a window that lets them finish inside the ring's deadline
 * @param warnings what an operator should know before shipping, in words: short canaries and rings that hold the
 *     release (or pass without members because they are optional)
 */
public record Forecast(
        Version version,
        String channel,
        Instant shipAt,
        List<InstancePlan> instances,
        List<RingProgress> rings,
        Instant lastCustomer,
        LeadTimes leadTimes,
        Map<PlanReason, Integer> notPlannedByReason,
        SortedMap<String, SortedMap<Integer, Integer>> windowStartsByReefAndHour,
        SortedMap<LocalDate, Integer> spillsByDay,
        List<CanaryShortfall> canaryShortfalls,
        List<String> warnings) {

    public Forecast {
        canaryShortfalls = List.copyOf(canaryShortfalls);
        warnings = List.copyOf(warnings);
    }

    /**
     * A canary ring short of its target.
     *
     * @param target ceil(percent x eligible active instances)
     * @param drawn the canaries drawn: every eligible instance that fits, when fewer fit than the target
     * @param fitting eligible instances whose window has a slot inside the ring's deadline
     */
    public record CanaryShortfall(String ring, int target, int drawn, int eligible, int fitting) {

        public String describe() {
            return "ring " + ring + " is short of canaries: " + drawn + " drawn of a target of " + target + "; only "
                    + fitting + " of " + eligible + " eligible active instances can finish inside its deadline";
        }
    }

    /**
     * Nearest-rank percentiles of the lead time to the non-laggard instances the plan reaches.
     *
     * @param unreached non-laggard instances the plan does not reach (opted-out ones and those already there are in
     *     neither count)
     */
    public record LeadTimes(int reached, int unreached, Duration p50, Duration p90, Duration max) {}

    /** @param fleet the instances the plan was made for, in the plan's order */
    public static Forecast of(Plan plan, List<Instance> fleet, RingPolicy policy) {
        return of(plan, fleet, policy, List.of());
    }

    /** @param canaries the random draws behind the plan, to report short canaries */
    public static Forecast of(Plan plan, List<Instance> fleet, RingPolicy policy, List<CanarySelection> canaries) {
        Set<String> laggardRings = new HashSet<>();
        for (Ring ring : policy.rings()) {
            if (ring.selector() instanceof RingSelector.Pinned pinned && pinned.pin() == PinnedRing.LAGGARD) {
                laggardRings.add(ring.name());
            }
        }
        Instant shipAt = plan.releaseTime();
        long[] leadMillis = new long[fleet.size()];
        int reached = 0;
        int unreached = 0;
        Instant last = null;
        Map<PlanReason, Integer> notPlanned = new EnumMap<>(PlanReason.class);
        SortedMap<LocalDate, Integer> spills = new TreeMap<>();
        for (int i = 0; i < plan.instances().size(); i++) {
            InstancePlan p = plan.instances().get(i);
            Instance instance = fleet.get(i);
            boolean laggard = instance.pinnedRing() == PinnedRing.LAGGARD
                    || (p.ring() != null && laggardRings.contains(p.ring()));
            if (p.status() == Status.SCHEDULED) {
                if (last == null || p.finish().isAfter(last)) {
                    last = p.finish();
                }
                if (!laggard) {
                    leadMillis[reached++] = Duration.between(shipAt, p.finish()).toMillis();
                }
                if (p.spilledFrom() != null) {
                    spills.merge(LocalDate.ofInstant(p.spilledFrom(), ZoneOffset.UTC), 1, Integer::sum);
                }
            } else if (p.status() == Status.NOT_PLANNED) {
                notPlanned.merge(p.reason(), 1, Integer::sum);
                if (!laggard && p.reason() != PlanReason.OPTED_OUT) {
                    unreached++;
                }
            }
        }
        long[] sorted = Arrays.copyOf(leadMillis, reached);
        Arrays.sort(sorted);
        LeadTimes leadTimes = new LeadTimes(
                reached, unreached, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 100));
        List<CanaryShortfall> shortfalls = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (CanarySelection selection : canaries) {
            if (selection.shortfall() > 0) {
                CanaryShortfall shortfall = new CanaryShortfall(
                        selection.ring(),
                        selection.target(),
                        selection.chosen().size(),
                        selection.eligible(),
                        selection.fitting());
                shortfalls.add(shortfall);
                warnings.add(shortfall.describe());
            }
        }
        for (RingProgress ring : plan.rings()) {
            if (ring.reason() == PlanReason.RING_EMPTY) {
                warnings.add(ring.detail());
            }
        }
        return new Forecast(
                plan.release().version(),
                plan.release().channel(),
                shipAt,
                plan.instances(),
                plan.rings(),
                last,
                leadTimes,
                Collections.unmodifiableMap(notPlanned),
                windowStarts(fleet, shipAt),
                Collections.unmodifiableSortedMap(spills),
                shortfalls,
                warnings);
    }

    private static Duration percentile(long[] sorted, int percent) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return Duration.ofMillis(sorted[Math.max(0, rank - 1)]);
    }

    /** The UTC hour of each instance's first window opening after the ship time; computed once per distinct window. */
    private static SortedMap<String, SortedMap<Integer, Integer>> windowStarts(List<Instance> fleet, Instant shipAt) {
        Map<MaintenanceWindow, Optional<Integer>> hourOf = new HashMap<>();
        SortedMap<String, SortedMap<Integer, Integer>> histogram = new TreeMap<>();
        for (Instance instance : fleet) {
            Optional<Integer> hour = hourOf.computeIfAbsent(
                    instance.window(),
                    w -> w.nextOpening(shipAt)
                            .map(WindowInterval::start)
                            .map(s -> s.atZone(ZoneOffset.UTC).getHour()));
            hour.ifPresent(h -> histogram
                    .computeIfAbsent(instance.reef(), r -> new TreeMap<>())
                    .merge(h, 1, Integer::sum));
        }
        return histogram;
    }

    /** The ring progress with the given name. */
    public Optional<RingProgress> ring(String name) {
        return rings.stream().filter(r -> r.ring().equals(name)).findFirst();
    }
}
