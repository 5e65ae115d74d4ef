package io.reefline.platform.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long to wait after consecutive failures: nothing before the first failure, {@code first} after it, then double
 * per further failure, never more than {@code cap}. Every retrying part of Reefline (outbox relay, webhook deliveries,
 * a reef's API, one upgrade's requests) waits by this one rule.
 *
 * <p>With a {@code jitter} fraction, {@link #after(int, RandomGenerator)} takes a random share of up to that fraction
 * off the wait, so many clients that failed together do not all come back at the same instant. Plain Java: usable in
 * the framework-free domain and reconcile packages.
 *
 * @param first the wait after one failure (positive)
 * @param cap the longest wait (at least {@code first})
 * @param jitter the largest share of a wait taken off at random, from 0 (none) to 1
 */
public record Backoff(Duration first, Duration cap, double jitter) {

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first wait must be positive, was " + first);
        }
        if (cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("the longest wait " + cap + " is shorter than the first " + first);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
        }
    }

    /** Doubling from {@code first} up to {@code cap}, without jitter. */
    public static Backoff doubling(Duration first, Duration cap) {
        return new Backoff(first, cap, 0);
    }

    /** The same backoff with a random share of up to {@code fraction} taken off each wait. */
    public Backoff withJitter(double fraction) {
        return new Backoff(first, cap, fraction);
    }

    /** The wait after {@code failures} consecutive failures, without jitter: zero for none. */
    public Duration after(int failures) {
        if (failures <= 0) {
            return Duration.ZERO;
        }
        // 2^(failures-1) without overflow: past the cap, doubling further changes nothing.
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(cap) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }

    /** The wait after {@code failures} consecutive failures, less a random share of up to {@link #jitter()}. */
    public Duration after(int failures, RandomGenerator random) {
        Duration wait = after(failures);
        if (jitter == 0 || wait.isZero()) {
            return wait;
        }
        long nanos = saturatedNanos(wait);
        return Duration.ofNanos(nanos - (long) (nanos * jitter * random.nextDouble()));
    }

    private static long saturatedNanos(Duration wait) {
        try {
            return wait.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
