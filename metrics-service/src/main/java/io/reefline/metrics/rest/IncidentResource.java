package io.reefline.metrics.rest;

import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The incidents metrics-service knows, newest first. */
@Path("/api/incidents")
@Produces(MediaType.APPLICATION_JSON)
public class IncidentResource {

    /** One incident as stored. */
    public record Incident(
            String id,
            String severity,
            String title,
            Instant impactStartedAt,
            Instant detectedAt,
            Instant resolvedAt,
            String causingRelease,
            String fixVersion,
            String source,
            String ring) {}

    private final EntityManager em;

    IncidentResource(EntityManager em) {
        this.em = em;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Page<Incident> list(@Valid @BeanParam PageRequest paging) {
        List<Tuple> rows = em.createNativeQuery(
                        "select id, severity, title, impact_started_at, detected_at, resolved_at, causing_release,"
                                + " fix_version, source, ring"
                                + " from incident order by detected_at desc, id limit :size offset :offset",
                        Tuple.class)
                .setParameter("size", paging.size())
                .setParameter("offset", paging.offset())
                .getResultList();
        long total =
                ((Number) em.createNativeQuery("select count(*) from incident").getSingleResult()).longValue();
        return Page.of(
                paging,
                total,
                rows.stream()
                        .map(r -> new Incident(
                                r.get(0, String.class),
                                r.get(1, String.class),
                                r.get(2, String.class),
                                instant(r.get(3)),
                                instant(r.get(4)),
                                instant(r.get(5)),
                                r.get(6, String.class),
                                r.get(7, String.class),
                                r.get(8, String.class),
                                r.get(9, String.class)))
                        .toList());
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("Unexpected timestamp type " + value.getClass());
    }
}
