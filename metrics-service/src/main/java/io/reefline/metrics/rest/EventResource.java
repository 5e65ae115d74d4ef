package io.reefline.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.metrics.service.IncidentIngestion;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/** Where the other services' outboxes and CI deliver events. Every kind is idempotent by event id. */
@Path("/api/events")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.SERVICE, Roles.OPERATOR})
public class EventResource {

    private final EventBatch batch;
    private final IncidentIngestion incidents;

    EventResource(EventBatch batch, IncidentIngestion incidents) {
        this.batch = batch;
        this.incidents = incidents;
    }

    @POST
    @Path("incidents")
    public EventBatch.Receipt incidents(JsonNode body) throws IOException {
        return incidents.ingest(batch.read(body, IncidentEvent.class));
    }
}
