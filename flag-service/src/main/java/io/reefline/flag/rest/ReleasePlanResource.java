package io.reefline.flag.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.flag.persistence.ReleasePlanEntity;
import io.reefline.flag.service.ReleasePlans;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * A flag's release plan in one environment: operators write it and pause, resume or stop it; the scheduled job
 * advances it while the andon gate allows. Every change leaves an audit row in the flag's log.
 */
@Path("/api/flags/{key}/environments/{env}/plan")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReleasePlanResource {

    /** Why an operator pauses a plan (optional). */
    public record PauseRequest(String reason) {}

    private final ReleasePlans plans;
    private final SecurityIdentity identity;

    ReleasePlanResource(ReleasePlans plans, SecurityIdentity identity) {
        this.plans = plans;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public ReleasePlanView get(@PathParam("key") String key, @PathParam("env") String env) {
        return view(plans.plan(key, env));
    }

    /** Creates the plan (201) or replaces its definition (200). */
    @POST
    @RolesAllowed(Roles.OPERATOR)
    public Response save(
            @PathParam("key") String key,
            @PathParam("env") String env,
            @Valid @NotNull ReleasePlanRequest request,
            UriInfo uri) {
        ReleasePlans.Change change = plans.save(key, env, request, Caller.name(identity));
        ReleasePlanView view = view(change.plan());
        return change.created()
                ? Response.created(uri.getAbsolutePath()).entity(view).build()
                : Response.ok(view).build();
    }

    @POST
    @Path("pause")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public ReleasePlanView pause(@PathParam("key") String key, @PathParam("env") String env, PauseRequest request) {
        return view(plans.pause(key, env, request == null ? null : request.reason(), Caller.name(identity)));
    }

    @POST
    @Path("resume")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public ReleasePlanView resume(@PathParam("key") String key, @PathParam("env") String env) {
        return view(plans.resume(key, env, Caller.name(identity)));
    }

    @POST
    @Path("stop")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    public ReleasePlanView stop(@PathParam("key") String key, @PathParam("env") String env) {
        return view(plans.stop(key, env, Caller.name(identity)));
    }

    private ReleasePlanView view(ReleasePlanEntity plan) {
        return ReleasePlanView.of(plan, plans.phaseNames(plan));
    }
}
