package io.reefline.metrics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.metrics.domain.IncidentSnapshots;
import io.reefline.metrics.rest.EventBatch;
import io.reefline.metrics.rest.IncidentEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/** Stores incident snapshots once per event id; the newest snapshot of an incident wins. */
@ApplicationScoped
public class IncidentIngestion {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    IncidentIngestion(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public EventBatch.Receipt ingest(List<IncidentEvent> events) {
        int stored = 0;
        for (IncidentEvent event : events) {
            if (!EventLedger.claim(em, event.id(), "incident", clock.instant())) {
                continue;
            }
            stored++;
            em.createNativeQuery("""
                            insert into incident (id, severity, title, details, impact_started_at, detected_at, resolved_at,
                                causing_release, causing_commits, fix_version, source, links, ring, snapshot_at)
                            values (:id, :severity, :title, :details, :impact, :detected, :resolved, :release,
                                cast(:commits as jsonb), :fix, :source, cast(:links as jsonb), :ring, :snapshot)
                            on conflict (id) do update set severity = excluded.severity, title = excluded.title,
                                details = excluded.details,
                                impact_started_at = excluded.impact_started_at, detected_at = excluded.detected_at,
                                resolved_at = excluded.resolved_at, causing_release = excluded.causing_release,
                                causing_commits = excluded.causing_commits, fix_version = excluded.fix_version,
                                source = excluded.source, links = excluded.links, ring = excluded.ring,
                                snapshot_at = excluded.snapshot_at
                            where incident.snapshot_at <= excluded.snapshot_at
                            """)
                    .setParameter("id", event.incidentId())
                    .setParameter("severity", event.severity())
                    .setParameter("title", event.title())
                    .setParameter("details", event.details())
                    .setParameter("impact", event.impactStartedAt())
                    .setParameter("detected", event.detectedAt())
                    .setParameter("resolved", event.resolvedAt())
                    .setParameter("release", event.causingRelease())
                    .setParameter("commits", toJson(event.causingCommits()))
                    .setParameter("fix", event.fixVersion())
                    .setParameter("source", event.source())
                    .setParameter("links", toJson(event.links()))
                    .setParameter("ring", event.ring())
                    .setParameter(
                            "snapshot",
                            IncidentSnapshots.snapshotTime(event.occurredAt(), event.detectedAt(), event.resolvedAt()))
                    .executeUpdate();
        }
        return new EventBatch.Receipt(events.size(), stored, events.size() - stored);
    }

    private String toJson(List<String> values) {
        try {
            return json.writeValueAsString(values == null ? List.of() : values);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
