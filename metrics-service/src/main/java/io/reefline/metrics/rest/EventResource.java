package io.reefline.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.metrics.service.DeliveryIngestion;
import io.reefline.metrics.service.IncidentIngestion;
import io.reefline.platform.security.CellIdentity;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Where the other services' outboxes and CI deliver events. Every kind is idempotent by event id. */
@Path("/api/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventBatch batch;
    private final IncidentIngestion incidents;
    private final DeliveryIngestion delivery;
    private final EntityManager em;
    private final SecurityIdentity identity;

    EventResource(
            EventBatch batch,
            IncidentIngestion incidents,
            DeliveryIngestion delivery,
            EntityManager em,
            SecurityIdentity identity) {
        this.batch = batch;
        this.identity = identity;
        this.incidents = incidents;
        this.delivery = delivery;
        this.em = em;
    }

    /** How many events of each kind were accepted, counting each event id once. */
    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Map<String, Long> counts() {
        List<Tuple> rows = em.createNativeQuery(
                        "select kind, count(*) from ingested_event group by kind order by kind", Tuple.class)
                .getResultList();
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(r -> counts.put(r.get(0, String.class), ((Number) r.get(1)).longValue()));
        return counts;
    }

    @POST
    @Path("incidents")
    @RolesAllowed({Roles.SERVICE, Roles.OPERATOR})
    public EventBatch.Receipt incidents(JsonNode body) throws IOException {
        return incidents.ingest(batch.read(body, IncidentEvent.class));
    }

    @POST
    @Path("commits")
    @RolesAllowed({Roles.SERVICE, Roles.PUBLISHER, Roles.OPERATOR})
    public EventBatch.Receipt commits(JsonNode body) throws IOException {
        return delivery.commits(batch.read(body, CommitEvent.class));
    }

    @POST
    @Path("releases")
    @RolesAllowed({Roles.SERVICE, Roles.PUBLISHER, Roles.OPERATOR})
    public EventBatch.Receipt releases(JsonNode body) throws IOException {
        return delivery.releases(batch.read(body, ReleaseEvent.class));
    }

    @POST
    @Path("deployments")
    @RolesAllowed({Roles.SERVICE, Roles.PUBLISHER, Roles.OPERATOR})
    public EventBatch.Receipt deployments(JsonNode body) throws IOException {
        return delivery.deployments(batch.read(body, DeploymentEvent.class));
    }

    /**
     * Outages: the sidecars' reports (unplanned), which their reef's cell forwards after checking each came from the
     * instance it names; rollout-service's upgrade windows; operators' records of maintenance.
     *
     * <p>A cell speaks for the reef its token names only: an event naming another {@code reef} refuses the whole batch
     * (403, nothing stored). An event without a reef is taken as the cell's own: the cell forwards only what its
     * reef's sidecars (checked against its reef's API) and operators report, and the hub has no instance-to-reef map
     * here to check an instance id against (instances are rollout-service's).
     */
    @POST
    @Path("downtime")
    @RolesAllowed({Roles.SERVICE, Roles.CELL, Roles.OPERATOR})
    public EventBatch.Receipt downtime(JsonNode body) throws IOException {
        List<DowntimeEvent> events = batch.read(body, DowntimeEvent.class);
        CellIdentity.reefOf(identity)
                .ifPresent(own -> events.stream()
                        .map(DowntimeEvent::reef)
                        .filter(reef -> reef != null)
                        .forEach(reef -> CellIdentity.requireActsFor(identity, reef, "report downtime")));
        return delivery.downtime(events);
    }
}
