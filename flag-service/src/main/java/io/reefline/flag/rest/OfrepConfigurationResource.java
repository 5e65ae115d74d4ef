package io.reefline.flag.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.service.FlagSnapshots;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * OFREP's provider configuration ({@code GET /ofrep/v1/configuration}): what this service supports, so providers that
 * opt in can set themselves up. Bulk evaluation answers {@code If-None-Match} with 304, so polling is supported; there
 * is no point in polling faster than changes reach every replica, which is the minimum interval announced. Every flag
 * type OFREP knows is served. Like evaluation, it needs an SDK key and answers from memory on the event loop.
 */
@Path("/ofrep/v1/configuration")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class OfrepConfigurationResource {

    private final FlagSnapshots snapshots;
    private final ObjectNode configuration;
    private final String etag;

    OfrepConfigurationResource(
            FlagSnapshots snapshots,
            @ConfigProperty(name = "flag.ofrep.min-polling-interval", defaultValue = "1s") Duration minPolling) {
        this.snapshots = snapshots;
        this.configuration = configuration(minPolling);
        this.etag = etag(configuration);
    }

    @GET
    @NonBlocking
    public Response configuration(
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (SdkKeyAuthentication.environment(snapshots, apiKey, authorization) instanceof Response refused) {
            return refused;
        }
        if (ifNoneMatch != null && SdkKeyAuthentication.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        return Response.ok(configuration).header(HttpHeaders.ETAG, etag).build();
    }

    static ObjectNode configuration(Duration minPolling) {
        ObjectNode answer = JsonNodeFactory.instance.objectNode();
        answer.put("name", "Reefline flag-service");
        ObjectNode capabilities = answer.putObject("capabilities");
        ObjectNode polling = capabilities.putObject("cacheInvalidation").putObject("polling");
        polling.put("enabled", true);
        polling.put("minPollingIntervalMs", minPolling.toMillis());
        capabilities
                .putObject("flagEvaluation")
                .putArray("supportedTypes")
                .add("boolean")
                .add("string")
                .add("int")
                .add("float")
                .add("object");
        return answer;
    }

    private static String etag(ObjectNode configuration) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(configuration.toString().getBytes(StandardCharsets.UTF_8));
            return "\"" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
