package io.reefline.flag.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.service.FlagService;
import io.reefline.flag.service.StaleFlags;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Flags and how each environment serves them. Operators write, viewers read. Every write honours {@code If-Match}
 * (412 when stale) and leaves one audit row.
 */
@Path("/api/flags")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FlagResource {

    /** One row of a flag's audit log. */
    public record AuditView(
            long id,
            String flagKey,
            String environment,
            String actor,
            Instant at,
            String action,
            Map<String, Object> before,
            Map<String, Object> after) {
        static AuditView of(AuditEntryEntity entry) {
            return new AuditView(
                    entry.id,
                    entry.flagKey,
                    entry.environmentKey,
                    entry.actor,
                    entry.at,
                    entry.action,
                    entry.before,
                    entry.after);
        }
    }

    /** The tenant to exclude. */
    public record Exclusion(String tenant) {}

    private final FlagService flags;
    private final StaleFlags staleFlags;
    private final SecurityIdentity identity;

    FlagResource(FlagService flags, StaleFlags staleFlags, SecurityIdentity identity) {
        this.flags = flags;
        this.staleFlags = staleFlags;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public List<FlagView> list() {
        return FlagEntity.allByKey().stream()
                .map(flag -> FlagView.of(flag, FlagEnvironmentEntity.ofFlag(flag.key)))
                .toList();
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    public Response create(@Valid @NotNull FlagRequest request, UriInfo uri) {
        FlagEntity flag = flags.create(request, Caller.name(identity));
        return Response.created(uri.getAbsolutePathBuilder().path(flag.key).build())
                .tag(new EntityTag(flag.etagValue()))
                .entity(view(flag.key))
                .build();
    }

    /** Flags the same for everyone everywhere for more than {@code days} days, or past their expected removal. */
    @GET
    @Path("stale")
    @RolesAllowed(Roles.VIEWER)
    public List<StaleFlags.StaleFlag> stale(@QueryParam("days") @DefaultValue("30") @Min(0) @Max(3650) int days) {
        return staleFlags.report(days);
    }

    @GET
    @Path("{key}")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Response get(@PathParam("key") String key) {
        FlagView view = view(key);
        return Response.ok(view).tag(new EntityTag(view.etag())).build();
    }

    @PUT
    @Path("{key}")
    @RolesAllowed(Roles.OPERATOR)
    public Response update(
            @PathParam("key") String key,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull FlagRequest request) {
        FlagEntity flag = flags.update(key, request, IfMatch.required(ifMatch, "Flag " + key), Caller.name(identity));
        return Response.ok(view(flag.key)).tag(new EntityTag(flag.etagValue())).build();
    }

    @DELETE
    @Path("{key}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("key") String key, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        flags.delete(key, IfMatch.required(ifMatch, "Flag " + key), Caller.name(identity));
        return Response.noContent().build();
    }

    @GET
    @Path("{key}/audit")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Page<AuditView> audit(@PathParam("key") String key, @Valid @BeanParam PageRequest paging) {
        return Page.of(paging, AuditEntryEntity.countOfFlag(key), AuditEntryEntity.ofFlag(key, paging))
                .map(AuditView::of);
    }

    @GET
    @Path("{key}/environments/{env}")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Response config(@PathParam("key") String key, @PathParam("env") String env) {
        return configResponse(flags.config(key, env));
    }

    @PUT
    @Path("{key}/environments/{env}")
    @RolesAllowed(Roles.OPERATOR)
    public Response configure(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull EnvironmentConfigRequest request) {
        return configResponse(flags.configure(
                key, env, request, IfMatch.required(ifMatch, "Flag " + key + " in " + env), Caller.name(identity)));
    }

    /** The kill switch: off for everyone in this environment, in one call. */
    @POST
    @Path("{key}/environments/{env}/disable")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public Response disable(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return configResponse(flags.setEnabled(
                key, env, false, IfMatch.required(ifMatch, "Flag " + key + " in " + env), Caller.name(identity)));
    }

    @POST
    @Path("{key}/environments/{env}/enable")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public Response enable(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return configResponse(flags.setEnabled(
                key, env, true, IfMatch.required(ifMatch, "Flag " + key + " in " + env), Caller.name(identity)));
    }

    /** Excludes one tenant in one call; exclusions win over every rule. */
    @POST
    @Path("{key}/environments/{env}/exclusions")
    @RolesAllowed(Roles.OPERATOR)
    public Response exclude(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @NotNull Exclusion exclusion) {
        return configResponse(flags.exclude(
                key,
                env,
                exclusion.tenant(),
                IfMatch.required(ifMatch, "Flag " + key + " in " + env),
                Caller.name(identity)));
    }

    private static Response configResponse(FlagEnvironmentEntity config) {
        return Response.ok(EnvironmentConfigView.of(config))
                .tag(new EntityTag(config.etagValue()))
                .build();
    }

    private FlagView view(String key) {
        return FlagView.of(flags.flag(key), FlagEnvironmentEntity.ofFlag(key));
    }
}
