package io.reefline.metrics.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reefline.metrics.domain.DowntimeIntervals.Interval;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DowntimeIntervalsTest {

    private static final Interval DAY = interval(0, 86_400);

    @Test
    void shouldCountOverlappingAndTouchingOutagesOnce() {
        List<Interval> merged = DowntimeIntervals.merge(
                List.of(interval(300, 900), interval(0, 600), interval(900, 1000), interval(2000, 2100)));
        assertEquals(List.of(interval(0, 1000), interval(2000, 2100)), merged);
        assertEquals(Duration.ofSeconds(1100), DowntimeIntervals.downWithin(merged, DAY));
    }

    @Test
    void shouldClipOutagesToTheWindow() {
        assertEquals(
                Duration.ofSeconds(100),
                DowntimeIntervals.downWithin(List.of(interval(-500, 100), interval(90_000, 95_000)), DAY));
    }

    @Test
    void shouldAverageMembersIncludingThoseNeverDown() {
        double uptime = DowntimeIntervals.fleetUptime(List.of(List.of(interval(0, 864)), List.of()), DAY);
        assertEquals(0.995, uptime, 1e-12);
        assertEquals(1.0, DowntimeIntervals.fleetUptime(List.of(), DAY));
    }

    @Test
    void shouldRefuseAnIntervalThatEndsBeforeItStarts() {
        assertThrows(IllegalArgumentException.class, () -> interval(10, 10));
    }

    @Test
    void shouldReadTheTalksUptimeTable() {
        // June 2025: 99.9307% incl. planned maintenance is 419 s a week (the talk shows 420 s, computed from the
        // unrounded uptime).
        assertEquals(419, Uptime.weeklyDowntimeSeconds(0.999307));
        assertEquals("99.9307%", Uptime.percent(0.999307));
        assertEquals("100%", Uptime.percent(1.0));
        assertEquals("99.9999%", Uptime.percent(0.99999999));
    }

    private static Interval interval(long start, long end) {
        return new Interval(Instant.ofEpochSecond(start), Instant.ofEpochSecond(end));
    }
}
