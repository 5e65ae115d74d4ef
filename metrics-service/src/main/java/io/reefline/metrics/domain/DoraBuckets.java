package io.reefline.metrics.domain;

import java.time.Duration;

/**
 * Where a value falls among the DORA performance levels. Thresholds follow the performance-level table of the 2023
 * Accelerate State of DevOps Report (Google Cloud / DORA, "Software delivery performance" clusters):
 *
 * <ul>
 *   <li>Deployment frequency: elite on demand (several per day), high between once per day and once per week, medium
 *       between once per week and once per month, low less often.
 *   <li>Change lead time: elite less than one day, high between one day and one week, medium between one week and one
 *       month, low longer.
 *   <li>Change failure rate: elite 5%, high 10%, medium 15%, low 64%. The report gives cluster centres, not ranges; a
 *       rate up to a level's value belongs to that level.
 *   <li>Failed deployment recovery time: elite less than one hour, high less than one day, medium between one day and
 *       one week, low longer (the report says one to six months).
 * </ul>
 *
 * The report's low and medium rows for frequency and lead time read the same; the boundaries here follow the
 * 2021/2022 reports (one month), so that low still means something.
 */
public final class DoraBuckets {

    static final double ELITE_DEPLOYMENTS_PER_DAY = 1.0;
    static final double HIGH_DEPLOYMENTS_PER_DAY = 1.0 / 7;
    static final double MEDIUM_DEPLOYMENTS_PER_DAY = 1.0 / 30;

    static final Duration ELITE_LEAD_TIME = Duration.ofDays(1);
    static final Duration HIGH_LEAD_TIME = Duration.ofDays(7);
    static final Duration MEDIUM_LEAD_TIME = Duration.ofDays(30);

    static final double ELITE_CHANGE_FAILURE_RATE = 0.05;
    static final double HIGH_CHANGE_FAILURE_RATE = 0.10;
    static final double MEDIUM_CHANGE_FAILURE_RATE = 0.15;

    static final Duration ELITE_RECOVERY = Duration.ofHours(1);
    static final Duration HIGH_RECOVERY = Duration.ofDays(1);
    static final Duration MEDIUM_RECOVERY = Duration.ofDays(7);

    private DoraBuckets() {}

    /** Releases reaching customers per day: more is better. */
    public static DoraLevel deploymentFrequency(double perDay) {
        if (perDay >= ELITE_DEPLOYMENTS_PER_DAY) {
            return DoraLevel.ELITE;
        }
        if (perDay >= HIGH_DEPLOYMENTS_PER_DAY) {
            return DoraLevel.HIGH;
        }
        return perDay >= MEDIUM_DEPLOYMENTS_PER_DAY ? DoraLevel.MEDIUM : DoraLevel.LOW;
    }

    public static DoraLevel leadTime(Duration leadTime) {
        return atMost(leadTime, ELITE_LEAD_TIME, HIGH_LEAD_TIME, MEDIUM_LEAD_TIME);
    }

    public static DoraLevel changeFailureRate(double rate) {
        if (rate <= ELITE_CHANGE_FAILURE_RATE) {
            return DoraLevel.ELITE;
        }
        if (rate <= HIGH_CHANGE_FAILURE_RATE) {
            return DoraLevel.HIGH;
        }
        return rate <= MEDIUM_CHANGE_FAILURE_RATE ? DoraLevel.MEDIUM : DoraLevel.LOW;
    }

    /** Recovery time; Reefline applies it to detection and to fixing alike, as DORA does not split them. */
    public static DoraLevel recovery(Duration recovery) {
        if (recovery.compareTo(ELITE_RECOVERY) < 0) {
            return DoraLevel.ELITE;
        }
        if (recovery.compareTo(HIGH_RECOVERY) < 0) {
            return DoraLevel.HIGH;
        }
        return recovery.compareTo(MEDIUM_RECOVERY) <= 0 ? DoraLevel.MEDIUM : DoraLevel.LOW;
    }

    private static DoraLevel atMost(Duration value, Duration elite, Duration high, Duration medium) {
        if (value.compareTo(elite) < 0) {
            return DoraLevel.ELITE;
        }
        if (value.compareTo(high) <= 0) {
            return DoraLevel.HIGH;
        }
        return value.compareTo(medium) <= 0 ? DoraLevel.MEDIUM : DoraLevel.LOW;
    }
}
