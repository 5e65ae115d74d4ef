package io.reefline.flag.rest;

import io.reefline.flag.ofrep.Ofrep;
import io.reefline.flag.service.PrimaryOfrep;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OFREP's provider configuration ({@code GET /ofrep/v1/configuration}), as flag-core's {@code Ofrep} writes it. Like
 * evaluation, it needs an SDK key and answers from memory on the event loop.
 */
@Path("/ofrep/v1/configuration")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class OfrepConfigurationResource {

    private final PrimaryOfrep ofrep;
    private final Ofrep.Configuration configuration;

    OfrepConfigurationResource(
            PrimaryOfrep ofrep,
            @ConfigProperty(name = "flag.ofrep.min-polling-interval", defaultValue = "1s") Duration minPolling) {
        this.ofrep = ofrep;
        this.configuration = Ofrep.Configuration.of("Reefline flag-service", minPolling);
    }

    @GET
    @NonBlocking
    public Response configuration(
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        return OfrepAnswers.toResponse(ofrep.ofrep().configuration(apiKey, authorization, ifNoneMatch, configuration));
    }
}
