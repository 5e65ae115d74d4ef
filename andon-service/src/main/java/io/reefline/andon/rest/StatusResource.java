package io.reefline.andon.rest;

import io.reefline.andon.domain.CordState;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Is the line moving? HEALTHY while no cord is open, STOPPED otherwise. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    /** The pipeline's state with the cords that hold it. */
    public record Status(String state, String message, List<CordView> openCords) {}

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Status status() {
        List<CordView> open = CordEntity.inState(CordState.OPEN).stream()
                .map(CordResource::view)
                .toList();
        return open.isEmpty()
                ? new Status("HEALTHY", "Healthy: the release pipeline will continue to move forward", open)
                : new Status("STOPPED", "Stopped: " + open.size() + " open problem(s) hold the release pipeline", open);
    }
}
