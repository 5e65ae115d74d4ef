package io.reefline.andon.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.andon.service.CellService;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.CellIdentity;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The reefs' cells as the hub hears them. Each replica of a reef's cell sends a heartbeat with the cords its spool still
 * holds for the hub; the gate holds a reef while one of them is silent or has cords waiting.
 */
@Path("/api/cells")
@Produces(MediaType.APPLICATION_JSON)
public class CellResource {

    /** One page of cells. */
    private final CellService cells;

    private final SecurityIdentity identity;

    CellResource(CellService cells, SecurityIdentity identity) {
        this.cells = cells;
        this.identity = identity;
    }

    @PUT
    @Path("{reef}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.CELL)
    @Operation(
            summary = "A heartbeat of a reef's cell",
            description = "For the cells only (role cell). Body: {\"replica\":\"cell-0\",\"queuedCords\":0,"
                    + "\"oldestQueuedAt\":null,\"sentAt\":\"2026-03-02T09:00:00Z\"}. Replaces the replica's last"
                    + " heartbeat; the hub records when it heard it by its own clock. A cell speaks for the reef its"
                    + " token names only.")
    @APIResponse(responseCode = "200", description = "Recorded: how the replica stands now")
    @APIResponse(responseCode = "400", description = "Invalid reef or body (problem+json)")
    @APIResponse(
            responseCode = "403",
            description = "The caller is not a cell, or is the cell of another reef (its token's reefline_reef claim)")
    public CellView heartbeat(@PathParam("reef") String reef, String body) {
        CellIdentity.requireActsFor(identity, reef, "send heartbeats");
        return CellView.of(cells.heartbeat(reef, body, Caller.name(identity)));
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Operation(summary = "Every known replica of every reef's cell, by reef and replica, with its state")
    public Page<CellView> list(@Valid @BeanParam PageRequest paging) {
        return Page.slice(paging, cells.cells().stream().map(CellView::of).toList());
    }

    @DELETE
    @Path("{reef}/{replica}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(
            summary = "Forget a replica of a reef's cell that is gone for good",
            description = "Its silence no longer holds the reef; if it comes back, its next heartbeat counts again.")
    @APIResponse(responseCode = "204", description = "Forgotten")
    @APIResponse(responseCode = "404", description = "No such replica")
    public Response forget(@PathParam("reef") String reef, @PathParam("replica") String replica) {
        cells.forget(reef, replica, Caller.name(identity));
        return Response.noContent().build();
    }
}
