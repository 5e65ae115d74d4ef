package io.reefline.metrics.domain;

/** Uptime figures as the talk's table shows them. */
public final class Uptime {

    static final double SECONDS_PER_WEEK = 7 * 24 * 3600;

    private Uptime() {}

    /** The average downtime per member and week that an uptime ratio means: {@code (1 - uptime) x 604,800 s}. */
    public static long weeklyDowntimeSeconds(double uptime) {
        return Math.round((1 - uptime) * SECONDS_PER_WEEK);
    }

    /**
     * Uptime as a percentage with up to four decimals and no trailing zeros ({@code 99.9974%}, {@code 100%}), like the
     * talk's table; never rounds a month with downtime up to 100%.
     */
    public static String percent(double uptime) {
        java.math.BigDecimal percent = java.math.BigDecimal.valueOf(uptime * 100)
                .setScale(4, java.math.RoundingMode.FLOOR)
                .stripTrailingZeros();
        return percent.toPlainString() + "%";
    }
}
