package io.reefline.cell.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The cell's short memory of TokenReviews and pods: bounded, expiring, and a failed load is not kept. */
class ExpiringCacheTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

    @Test
    void shouldKeepAnAnswerUntilItExpiresThenLoadItAgain() throws Exception {
        MutableClock clock = new MutableClock();
        ExpiringCache<String> cache = new ExpiringCache<>(10, clock);
        AtomicInteger loads = new AtomicInteger();
        ExpiringCache.Loader<String> loader = () -> new ExpiringCache.Timed<>(
                "answer " + loads.incrementAndGet(), clock.instant().plusSeconds(30));

        assertEquals("answer 1", cache.get("token", loader));
        clock.now = NOW.plusSeconds(29);
        assertEquals("answer 1", cache.get("token", loader));
        clock.now = NOW.plusSeconds(30);
        assertEquals("answer 2", cache.get("token", loader));
    }

    @Test
    void shouldHoldAtMostItsLimitDroppingTheLeastRecentlyUsed() throws Exception {
        ExpiringCache<String> cache = new ExpiringCache<>(2, new MutableClock());
        AtomicInteger loads = new AtomicInteger();
        ExpiringCache.Loader<String> loader =
                () -> new ExpiringCache.Timed<>("v" + loads.incrementAndGet(), NOW.plusSeconds(60));
        cache.get("a", loader);
        cache.get("b", loader);
        cache.get("a", loader);
        cache.get("c", loader);
        assertEquals(2, cache.size());
        assertEquals(3, loads.get());
        cache.get("a", loader);
        assertEquals(3, loads.get(), "a was used recently and kept");
        cache.get("b", loader);
        assertEquals(4, loads.get(), "b was the least recently used and dropped");
    }

    @Test
    void shouldNotKeepAFailedLoad() throws Exception {
        ExpiringCache<String> cache = new ExpiringCache<>(10, new MutableClock());
        assertThrows(
                IOException.class,
                () -> cache.get("token", () -> {
                    throw new IOException("API down");
                }));
        assertEquals(0, cache.size());
        assertEquals("ok", cache.get("token", () -> new ExpiringCache.Timed<>("ok", NOW.plusSeconds(60))));
    }

    private static final class MutableClock extends Clock {
        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
