package io.reefline.flag.rest;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Constant JSON on the event loop, with no database and no authentication: the baseline that
 * {@code benchmarks/ofrep-load.sh} compares OFREP evaluation with (same service, same HTTP stack).
 */
@Path("/ping")
@PermitAll
public class PingResource {

    private static final String PONG = "{\"status\":\"ok\"}";

    @GET
    @NonBlocking
    @Produces(MediaType.APPLICATION_JSON)
    public String ping() {
        return PONG;
    }
}
