package io.reefline.flag.rest;

import io.reefline.flag.ofrep.Ofrep;
import io.reefline.flag.service.Replication;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * The primary's side of flag replication: each cell's follower polls this with the tag it holds and gets the whole
 * snapshot only when something changed. Only the cells (role cell) may read it: it holds every environment's flags
 * and the SDK keys' hashes.
 */
@Path("/api/replication/snapshot")
@RolesAllowed(Roles.CELL)
public class ReplicationResource {

    private final Replication replication;

    ReplicationResource(Replication replication) {
        this.replication = replication;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "The flag snapshot the cells' followers serve OFREP from",
            description = "Every environment's flags as a flagd document, the flags that bucket by targeting key, the"
                    + " SDK keys by SHA-256 hash and the tenant attributes. With If-None-Match naming the current ETag"
                    + " the answer is 304.")
    @APIResponse(responseCode = "200", description = "The current snapshot, with its ETag")
    @APIResponse(responseCode = "304", description = "The follower's snapshot is current")
    @APIResponse(responseCode = "503", description = "This replica has not loaded its flags yet")
    public Response snapshot(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (!replication.loaded()) {
            return Problem.of(Response.Status.SERVICE_UNAVAILABLE, "The flags are not loaded yet; try again shortly")
                    .toResponse();
        }
        String tag = replication.tag();
        if (ifNoneMatch != null && Ofrep.matches(ifNoneMatch, tag)) {
            return Response.notModified().header(HttpHeaders.ETAG, tag).build();
        }
        Replication.Encoded encoded = replication.current();
        return Response.ok(encoded.body(), MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.ETAG, encoded.tag())
                .build();
    }
}
