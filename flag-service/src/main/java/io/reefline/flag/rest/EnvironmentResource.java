package io.reefline.flag.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.service.FlagService;
import io.reefline.flag.service.FlagdInterchange;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

/** Environments (admin) and their flag sets as flagd files: export for viewers, import for operators. */
@Path("/api/environments")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EnvironmentResource {

    /** An environment as the API shows it. */
    public record EnvironmentView(String key, String name, Instant createdAt) {
        static EnvironmentView of(EnvironmentEntity environment) {
            return new EnvironmentView(environment.key, environment.name, environment.createdAt);
        }
    }

    private final FlagService flags;
    private final FlagdInterchange interchange;
    private final SecurityIdentity identity;

    EnvironmentResource(FlagService flags, FlagdInterchange interchange, SecurityIdentity identity) {
        this.flags = flags;
        this.interchange = interchange;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public List<EnvironmentView> list() {
        return EnvironmentEntity.allByKey().stream().map(EnvironmentView::of).toList();
    }

    /** One environment, with its ETag (send it as {@code If-Match} to rename it). */
    @GET
    @Path("{env}")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Response get(@PathParam("env") String key) {
        EnvironmentEntity environment = flags.environment(key);
        return Response.ok(EnvironmentView.of(environment))
                .tag(environment.etagValue())
                .build();
    }

    /**
     * Creates the environment (201; every flag starts disabled there) or renames it (200, only with {@code If-Match}:
     * 428 without it, 412 when stale).
     */
    @PUT
    @Path("{env}")
    @RolesAllowed(Roles.ADMIN)
    public Response put(
            @PathParam("env") String key,
            @Valid @NotNull EnvironmentRequest request,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        FlagService.EnvironmentChange change =
                flags.putEnvironment(key, request.name().strip(), ifMatch);
        return Response.status(change.created() ? 201 : 200)
                .entity(EnvironmentView.of(change.environment()))
                .tag(change.environment().etagValue())
                .build();
    }

    /** The environment as a flagd file, with an ETag to send as {@code If-Match} when importing over it. */
    @GET
    @Path("{env}/flagd")
    @RolesAllowed(Roles.VIEWER)
    public Response export(@PathParam("env") String key) {
        FlagdInterchange.Export export = interchange.exportWithTag(key);
        return Response.ok(export.document()).tag(export.etag()).build();
    }

    /**
     * Imports a flagd flag-definition file: validated whole, stored all or nothing, audited per flag; only over the
     * version read ({@code If-Match} with the export's ETag, or {@code *}): 428 without it, 412 when stale.
     */
    @PUT
    @Path("{env}/flagd")
    @RolesAllowed(Roles.OPERATOR)
    public FlagdInterchange.ImportResult importDocument(
            @PathParam("env") String key,
            @NotNull JsonNode document,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return interchange.importDocument(
                key, document, IfMatch.required(ifMatch, "The flagd file of " + key), Caller.name(identity));
    }
}
