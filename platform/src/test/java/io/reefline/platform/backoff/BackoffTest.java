package io.reefline.platform.backoff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = Backoff.doubling(Duration.ofSeconds(5), Duration.ofSeconds(60));

    @Test
    void shouldWaitNothingBeforeTheFirstFailureThenDoubleUpToTheCap() {
        assertEquals(Duration.ZERO, backoff.after(0));
        assertEquals(Duration.ofSeconds(5), backoff.after(1));
        assertEquals(Duration.ofSeconds(10), backoff.after(2));
        assertEquals(Duration.ofSeconds(40), backoff.after(4));
        assertEquals(Duration.ofSeconds(60), backoff.after(5));
    }

    @Test
    void shouldNeverOverflowAfterVeryManyFailures() {
        assertEquals(Duration.ofSeconds(60), backoff.after(Integer.MAX_VALUE));
        Backoff huge = Backoff.doubling(Duration.ofDays(365), Duration.ofDays(365_000));
        assertEquals(Duration.ofDays(365_000), huge.after(10_000));
    }

    @Test
    void shouldTakeARandomShareOfAtMostTheJitterOffEachWait() {
        Backoff jittered = backoff.withJitter(0.5);
        Random random = new Random(42);
        boolean varied = false;
        Duration previous = null;
        for (int i = 0; i < 200; i++) {
            Duration wait = jittered.after(3, random);
            assertTrue(wait.compareTo(Duration.ofSeconds(10)) >= 0, "at most half of 20 s taken off: " + wait);
            assertTrue(wait.compareTo(Duration.ofSeconds(20)) <= 0, "never longer than without jitter: " + wait);
            varied |= previous != null && !previous.equals(wait);
            previous = wait;
        }
        assertTrue(varied, "jitter spreads the waits");
        assertEquals(Duration.ofSeconds(20), backoff.after(3, random), "no jitter, no change");
    }

    @Test
    void shouldRefuseAFirstWaitThatIsNotPositiveOrACapBelowIt() {
        assertThrows(IllegalArgumentException.class, () -> Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(
                IllegalArgumentException.class, () -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> backoff.withJitter(1.5));
    }
}
