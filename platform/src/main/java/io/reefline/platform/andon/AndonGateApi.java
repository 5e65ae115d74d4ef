package io.reefline.platform.andon;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * andon-service's gate ({@code quarkus.rest-client.andon.url}): 200 {@code {"allowed":true}} or 423
 * {@code {"allowed":false,"cords":[...],"reason":...}}. Used only through {@link AndonGateClient}.
 */
@RegisterRestClient(configKey = "andon")
@Path("/api/gate")
interface AndonGateApi {

    /** Absent (null) parameters are left out of the query, which the gate treats as covered. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode gate(
            @HeaderParam("Authorization") String authorization,
            @QueryParam("release") String release,
            @QueryParam("reef") String reef,
            @QueryParam("ring") String ring);
}
