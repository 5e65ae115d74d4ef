package io.reefline.metrics.service;

import jakarta.persistence.EntityManager;
import java.time.Instant;

/** The record of accepted event ids that makes every ingestion idempotent. */
final class EventLedger {

    private EventLedger() {}

    /** Records {@code eventId}; false when it was accepted before (a redelivery), in which case nothing is applied. */
    static boolean claim(EntityManager em, String eventId, String kind, Instant now) {
        int inserted = em.createNativeQuery(
                        "insert into ingested_event (event_id, kind, received_at) values (:id, :kind, :now)"
                                + " on conflict (kind, event_id) do nothing")
                .setParameter("id", eventId)
                .setParameter("kind", kind)
                .setParameter("now", now)
                .executeUpdate();
        return inserted == 1;
    }
}
