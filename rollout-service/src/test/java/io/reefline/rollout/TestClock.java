package io.reefline.rollout;

import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The module's one clock in tests, replacing the platform's system clock: fixed at {@link #START} (a Monday, 08:00 UTC)
 * unless a test moves it, so plans and forecasts can be checked by hand.
 */
@Singleton
public class TestClock extends Clock {

    public static final Instant START = Instant.parse("2026-03-02T08:00:00Z");

    private volatile Instant now = START;

    public void set(Instant instant) {
        now = instant;
    }

    public void reset() {
        now = START;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.fixed(now, zone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
