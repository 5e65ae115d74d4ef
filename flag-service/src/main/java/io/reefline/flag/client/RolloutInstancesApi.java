package io.reefline.flag.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * rollout-service's instance inventory: {@code {"page","size","total","items":[{"id","reef","region","tenant",
 * "active","ring",...}]}}. Read as a tree so that fields rollout adds later do not break the tenant directory.
 */
@RegisterRestClient(configKey = "rollout")
@Path("/api/instances")
public interface RolloutInstancesApi {

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    JsonNode instances(
            @HeaderParam("Authorization") String authorization,
            @QueryParam("page") int page,
            @QueryParam("size") int size);
}
