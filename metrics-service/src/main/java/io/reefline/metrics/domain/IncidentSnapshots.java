package io.reefline.metrics.domain;

import java.time.Instant;

/**
 * Incidents arrive as snapshots (opened, then resolved, maybe reopened), possibly out of order. The newest snapshot
 * wins; this decides what "newest" means.
 */
public final class IncidentSnapshots {

    private IncidentSnapshots() {}

    /** The moment a snapshot describes: the time the sender gave, else the latest time it carries. */
    public static Instant snapshotTime(Instant occurredAt, Instant detectedAt, Instant resolvedAt) {
        if (occurredAt != null) {
            return occurredAt;
        }
        return resolvedAt != null && resolvedAt.isAfter(detectedAt) ? resolvedAt : detectedAt;
    }
}
