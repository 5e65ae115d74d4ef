package io.reefline.rollout.domain.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** One occurrence of a maintenance window (or of a recurring freeze): the half-open interval {@code [start, end)}. */
public record WindowInterval(Instant start, Instant end) {

    public WindowInterval {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("interval end " + end + " is not after its start " + start);
        }
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public Duration length() {
        return Duration.between(start, end);
    }
}
