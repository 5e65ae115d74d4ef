package io.reefline.flag.rest;

import io.reefline.flag.service.PrimaryOfrep;
import io.reefline.flag.service.TenantDirectory;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) over this replica's in-memory snapshots: no database access and no
 * blocking, so it runs on the event loop. Callers authenticate with an SDK key ({@code X-API-Key} or {@code
 * Authorization: Bearer}), not a JWT; the key decides the environment. A context naming a tenant the
 * {@link TenantDirectory} knows gets that tenant's attributes the caller did not give. The answers come from
 * flag-core's {@code Ofrep}, which the cells' followers run too.
 */
@Path("/ofrep/v1/evaluate/flags")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class OfrepResource {

    private final PrimaryOfrep ofrep;

    OfrepResource(PrimaryOfrep ofrep) {
        this.ofrep = ofrep;
    }

    @POST
    @Path("{key}")
    @NonBlocking
    public Response evaluate(
            @PathParam("key") String key,
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        return OfrepAnswers.toResponse(ofrep.ofrep().evaluate(key, apiKey, authorization, body));
    }

    @POST
    @NonBlocking
    public Response evaluateAll(
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            byte[] body) {
        return OfrepAnswers.toResponse(ofrep.ofrep().evaluateAll(apiKey, authorization, ifNoneMatch, body));
    }
}
