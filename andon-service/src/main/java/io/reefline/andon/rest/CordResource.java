package io.reefline.andon.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.service.CordService;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** Pull and read andon cords. Anyone signed in may pull: stopping the line must never need permission. */
@Path("/api/cords")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CordResource {

    private final CordService cords;
    private final SecurityIdentity identity;

    CordResource(CordService cords, SecurityIdentity identity) {
        this.cords = cords;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.VIEWER)
    public Response pull(@Valid @NotNull PullRequest request, UriInfo uri) {
        CordEntity cord = cords.pull(request, Caller.name(identity));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(String.valueOf(cord.id))
                        .build())
                .tag(etag(cord))
                .entity(view(cord))
                .build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Response get(@PathParam("id") long id) {
        CordEntity cord = cords.find(id);
        return Response.ok(view(cord)).tag(etag(cord)).build();
    }

    static CordView view(CordEntity cord) {
        return CordView.of(cord, CordTransitionEntity.ofCord(cord.id));
    }

    static EntityTag etag(CordEntity cord) {
        return new EntityTag(cord.id + "-" + cord.version);
    }
}
