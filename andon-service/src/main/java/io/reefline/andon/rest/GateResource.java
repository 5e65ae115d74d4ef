package io.reefline.andon.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.reefline.andon.service.CordService;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * May a release move into a reef and ring? rollout-service and flag-service ask before moving anything, and treat
 * an unreachable gate as closed. 423 Locked names the cords that hold the line.
 */
@Path("/api/gate")
@Produces(MediaType.APPLICATION_JSON)
public class GateResource {

    /** The gate's answer; {@code cords} only when the move is blocked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GateView(boolean allowed, List<CordView> cords) {}

    private final CordService cords;

    GateResource(CordService cords) {
        this.cords = cords;
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    @Transactional
    public Response gate(
            @QueryParam("release") @Size(max = 100) String release,
            @QueryParam("reef") @Size(max = 100) String reef,
            @QueryParam("ring") @Size(max = 40) String ring) {
        CordService.GateAnswer answer = cords.gate(blankToNull(release), blankToNull(reef), blankToNull(ring));
        if (answer.allowed()) {
            return Response.ok(new GateView(true, null)).build();
        }
        return Response.status(423)
                .entity(new GateView(
                        false,
                        answer.blocking().stream().map(CordResource::view).toList()))
                .build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
