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
import java.util.ArrayList;
import java.util.List;

/**
 * May a release move into a reef and ring? rollout-service and flag-service ask before moving anything, and treat
 * an unreachable gate as closed. 423 Locked names the cords that hold the line.
 */
@Path("/api/gate")
@Produces(MediaType.APPLICATION_JSON)
public class GateResource {

    /**
     * The gate's answer; when the move is blocked: {@code cords} (the open cords that cover it, maybe none), {@code
     * reason} (why, in words), and {@code cells} only when a cell of the reef holds it (silent, or cords waiting).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GateView(boolean allowed, List<CordView> cords, String reason, List<CellView> cells) {}

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
            return Response.ok(new GateView(true, null, null, null)).build();
        }
        List<String> reasons = new ArrayList<>();
        answer.blocking().forEach(cord -> reasons.add("cord #" + cord.id + " is open: " + cord.reason));
        answer.blockingCells().forEach(cell -> reasons.add(cell.reason()));
        return Response.status(423)
                .entity(new GateView(
                        false,
                        answer.blocking().stream().map(CordResource::view).toList(),
                        String.join("; ", reasons),
                        answer.blockingCells().isEmpty()
                                ? null
                                : answer.blockingCells().stream()
                                        .map(CellView::of)
                                        .toList()))
                .build();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
