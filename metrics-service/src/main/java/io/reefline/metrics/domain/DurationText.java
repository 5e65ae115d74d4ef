package io.reefline.metrics.domain;

import java.time.Duration;

/** Durations the way people say them on the talk's slides: {@code 4 d 3 h}, {@code 45 min}, {@code 30 s}. */
public final class DurationText {

    private DurationText() {}

    public static String of(double seconds) {
        long total = Math.round(seconds);
        Duration d = Duration.ofSeconds(Math.abs(total));
        String sign = total < 0 ? "-" : "";
        if (d.toDays() > 0) {
            return sign + d.toDays() + " d " + d.toHoursPart() + " h";
        }
        if (d.toHours() > 0) {
            return sign + d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        if (d.toMinutes() > 0) {
            return sign + d.toMinutes() + " min";
        }
        return sign + d.toSeconds() + " s";
    }
}
