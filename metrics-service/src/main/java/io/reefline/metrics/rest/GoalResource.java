package io.reefline.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.metrics.service.GoalStore;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.OptionalInt;

/** The goals each metric is judged against. Anyone may read them; admins set them. */
@Path("/api/goals")
@Produces(MediaType.APPLICATION_JSON)
public class GoalResource {

    private final GoalStore goals;
    private final EventBatch batch;
    private final SecurityIdentity identity;

    GoalResource(GoalStore goals, EventBatch batch, SecurityIdentity identity) {
        this.goals = goals;
        this.batch = batch;
        this.identity = identity;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Response get() {
        GoalStore.VersionedGoals current = goals.current();
        return Response.ok(current.document())
                .tag(new EntityTag(current.etag()))
                .build();
    }

    /**
     * Replaces every goal, only over the version read: {@code If-Match} with the ETag of a GET (or {@code *}); 428
     * without it, 412 if someone changed them since.
     */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Response put(JsonNode body, @HeaderParam("If-Match") String ifMatch) throws IOException {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("body", "must be one goals object");
        }
        IfMatch.required(ifMatch, "The goals");
        GoalsDocument document = batch.read(body, GoalsDocument.class).get(0);
        GoalStore.VersionedGoals stored = goals.replace(document, version(ifMatch), Caller.name(identity));
        return Response.ok(stored.document()).tag(new EntityTag(stored.etag())).build();
    }

    /** The version an {@code If-Match} names; empty for none or {@code *}; -1 for a tag that is not ours (stale). */
    static OptionalInt version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return OptionalInt.empty();
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        if (!tag.startsWith("goals-")) {
            return OptionalInt.of(-1);
        }
        try {
            return OptionalInt.of(Integer.parseInt(tag.substring("goals-".length())));
        } catch (NumberFormatException e) {
            return OptionalInt.of(-1);
        }
    }
}
