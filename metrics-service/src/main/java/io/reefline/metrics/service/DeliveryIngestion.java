package io.reefline.metrics.service;

import io.reefline.metrics.rest.CommitEvent;
import io.reefline.metrics.rest.DeploymentEvent;
import io.reefline.metrics.rest.DowntimeEvent;
import io.reefline.metrics.rest.EventBatch;
import io.reefline.metrics.rest.ReleaseEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;

/**
 * Stores commits, releases, deployments and outages, each event id once per kind. A batch is one transaction: it is
 * stored whole or not at all.
 */
@ApplicationScoped
public class DeliveryIngestion {

    private final EntityManager em;
    private final Clock clock;

    DeliveryIngestion(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /** A commit is known by its SHA: the first event naming it wins, later ones only count as received. */
    @Transactional
    public EventBatch.Receipt commits(List<CommitEvent> events) {
        int stored = 0;
        for (CommitEvent event : events) {
            if (!EventLedger.claim(em, event.id(), "commit", clock.instant())) {
                continue;
            }
            stored++;
            em.createNativeQuery("insert into source_commit (sha, repository, author, committed_at)"
                            + " values (:sha, :repository, :author, :at) on conflict (sha) do nothing")
                    .setParameter("sha", event.sha())
                    .setParameter("repository", event.repository())
                    .setParameter("author", event.author())
                    .setParameter("at", event.committedAt())
                    .executeUpdate();
        }
        return receipt(events, stored);
    }

    /** A release is known by its version; a second registration adds commits it did not list before. */
    @Transactional
    public EventBatch.Receipt releases(List<ReleaseEvent> events) {
        int stored = 0;
        for (ReleaseEvent event : events) {
            if (!EventLedger.claim(em, event.id(), "release", clock.instant())) {
                continue;
            }
            stored++;
            // A later registration may say what the release fixes; it never forgets it.
            em.createNativeQuery(
                            "insert into release (version, created_at, fixes_incident) values (:version, :at, :fixes)"
                                    + " on conflict (version) do update"
                                    + " set fixes_incident = coalesce(release.fixes_incident, excluded.fixes_incident)"
                                    + " where release.fixes_incident is null and excluded.fixes_incident is not null")
                    .setParameter("version", event.version())
                    .setParameter("at", event.createdAt())
                    .setParameter("fixes", event.fixesIncident())
                    .executeUpdate();
            for (String sha : event.commits()) {
                em.createNativeQuery("insert into release_commit (version, sha) values (:version, :sha)"
                                + " on conflict do nothing")
                        .setParameter("version", event.version())
                        .setParameter("sha", sha)
                        .executeUpdate();
            }
        }
        return receipt(events, stored);
    }

    @Transactional
    public EventBatch.Receipt deployments(List<DeploymentEvent> events) {
        int stored = 0;
        for (DeploymentEvent event : events) {
            if (!EventLedger.claim(em, event.id(), "deployment", clock.instant())) {
                continue;
            }
            stored++;
            em.createNativeQuery("""
                            insert into deployment (event_id, instance_id, release, ring, started_at, finished_at, success)
                            values (:id, :instance, :release, :ring, :started, :finished, :success)
                            """)
                    .setParameter("id", event.id())
                    .setParameter("instance", event.instanceId())
                    .setParameter("release", event.release())
                    .setParameter("ring", event.ring())
                    .setParameter("started", event.startedAt())
                    .setParameter("finished", event.finishedAt())
                    .setParameter("success", event.success())
                    .executeUpdate();
        }
        return receipt(events, stored);
    }

    @Transactional
    public EventBatch.Receipt downtime(List<DowntimeEvent> events) {
        int stored = 0;
        for (DowntimeEvent event : events) {
            if (!EventLedger.claim(em, event.id(), "downtime", clock.instant())) {
                continue;
            }
            stored++;
            em.createNativeQuery("""
                            insert into downtime (event_id, instance_id, service, started_at, ended_at, planned, source)
                            values (:id, :instance, :service, :start, :end, :planned, :source)
                            """)
                    .setParameter("id", event.id())
                    .setParameter("instance", event.instanceId())
                    .setParameter("service", event.service())
                    .setParameter("start", event.start())
                    .setParameter("end", event.end())
                    .setParameter("planned", event.isPlanned())
                    .setParameter("source", event.source())
                    .executeUpdate();
        }
        return receipt(events, stored);
    }

    private static EventBatch.Receipt receipt(List<?> events, int stored) {
        return new EventBatch.Receipt(events.size(), stored, events.size() - stored);
    }
}
