package io.reefline.rollout.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import io.reefline.rollout.service.PolicyDocument;
import io.reefline.rollout.service.PolicyService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The ring policy as data: anyone may read it, admins replace it, with {@code If-Match} against lost updates. */
@Path("/api/policy")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private final PolicyService policies;
    private final SecurityIdentity identity;

    PolicyResource(PolicyService policies, SecurityIdentity identity) {
        this.policies = policies;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Response get() {
        return answer(policies.current());
    }

    @PUT
    @RolesAllowed(Roles.ADMIN)
    public Response replace(PolicyDocument document, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (document == null) {
            throw ProblemException.badRequest("body", "a ring policy is required");
        }
        return answer(policies.replace(document, IfMatch.required(ifMatch, "The ring policy"), Caller.name(identity)));
    }

    private static Response answer(PolicyService.CurrentPolicy policy) {
        return Response.ok(policy.document()).tag(new EntityTag(policy.etag())).build();
    }
}
