package io.reefline.metrics.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Outages of one member of the fleet, merged so that time is never counted twice: two reports of the same outage (the
 * sidecar's and an operator's), or an instance outage inside a service-wide one, overlap. The service's SQL does the
 * same with {@code range_agg}; this is the definition the tests hold it to.
 */
public final class DowntimeIntervals {

    /** A half-open span of time {@code [start, end)}. */
    public record Interval(Instant start, Instant end) {
        public Interval {
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("an interval ends after it starts: " + start + " .. " + end);
            }
        }

        Duration length() {
            return Duration.between(start, end);
        }
    }

    private DowntimeIntervals() {}

    /** The union of {@code intervals} as disjoint intervals, in time order; touching intervals join. */
    public static List<Interval> merge(List<Interval> intervals) {
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::start));
        List<Interval> merged = new ArrayList<>();
        for (Interval next : sorted) {
            if (!merged.isEmpty()
                    && !next.start().isAfter(merged.get(merged.size() - 1).end())) {
                Interval last = merged.remove(merged.size() - 1);
                merged.add(new Interval(last.start(), next.end().isAfter(last.end()) ? next.end() : last.end()));
            } else {
                merged.add(next);
            }
        }
        return merged;
    }

    /** How long the member was down within {@code window}, each moment counted once. */
    public static Duration downWithin(List<Interval> intervals, Interval window) {
        Duration total = Duration.ZERO;
        for (Interval outage : merge(intervals)) {
            Instant start = outage.start().isAfter(window.start()) ? outage.start() : window.start();
            Instant end = outage.end().isBefore(window.end()) ? outage.end() : window.end();
            if (end.isAfter(start)) {
                total = total.plus(Duration.between(start, end));
            }
        }
        return total;
    }

    /**
     * Fleet uptime of a window: each member's merged downtime, as a share of the window, averaged over the members.
     * {@code downtimePerMember} holds one entry per member, including members that were never down.
     */
    public static double fleetUptime(List<List<Interval>> downtimePerMember, Interval window) {
        if (downtimePerMember.isEmpty()) {
            return 1.0;
        }
        double windowSeconds = window.length().toMillis() / 1000.0;
        double up = 0;
        for (List<Interval> member : downtimePerMember) {
            up += 1 - downWithin(member, window).toMillis() / 1000.0 / windowSeconds;
        }
        return up / downtimePerMember.size();
    }
}
