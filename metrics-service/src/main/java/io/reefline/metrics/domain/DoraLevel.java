package io.reefline.metrics.domain;

import java.util.Locale;

/** The performance levels of the DORA State of DevOps report, best first. */
public enum DoraLevel {
    ELITE,
    HIGH,
    MEDIUM,
    LOW;

    /** The level as it appears on the wire and on pages: {@code elite}, {@code high}, ... */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
