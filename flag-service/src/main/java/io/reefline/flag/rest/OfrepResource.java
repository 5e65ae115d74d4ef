package io.reefline.flag.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.ErrorCode;
import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.Reason;
import io.reefline.flag.service.FlagSnapshots;
import io.reefline.flag.service.FlagSnapshots.EnvironmentFlags;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * OFREP (OpenFeature Remote Evaluation Protocol) over this replica's in-memory snapshots: no database access and no
 * blocking, so it runs on the event loop. Callers authenticate with an SDK key ({@code X-API-Key} or {@code
 * Authorization: Bearer}), not a JWT; the key decides the environment. A context naming a tenant the
 * {@link TenantDirectory} knows gets that tenant's attributes the caller did not give.
 */
@Path("/ofrep/v1/evaluate/flags")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
public class OfrepResource {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final FlagSnapshots snapshots;
    private final ObjectMapper mapper;
    private final TenantDirectory tenants;

    OfrepResource(FlagSnapshots snapshots, ObjectMapper mapper, TenantDirectory tenants) {
        this.snapshots = snapshots;
        this.mapper = mapper;
        this.tenants = tenants;
    }

    @POST
    @Path("{key}")
    @NonBlocking
    public Response evaluate(
            @PathParam("key") String key,
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body) {
        Object environment = environment(apiKey, authorization);
        if (environment instanceof Response refused) {
            return refused;
        }
        EnvironmentFlags flags = (EnvironmentFlags) environment;
        JsonNode context;
        try {
            context = context(body);
        } catch (InvalidContext e) {
            return Response.status(400)
                    .entity(error(key, ErrorCode.INVALID_CONTEXT, e.getMessage()))
                    .build();
        }
        Map<String, Object> given = attributes(context);
        EvaluationContext evaluationContext = enriched(given, tenants.missingAttributes(given));
        EvaluationResult result = flags.evaluator().evaluate(key, evaluationContext);
        result = withMissingTargetingKey(flags, result, evaluationContext);
        if (result.isError()) {
            int status = result.errorCode() == ErrorCode.FLAG_NOT_FOUND ? 404 : 400;
            return Response.status(status)
                    .entity(error(key, result.errorCode(), result.errorMessage()))
                    .build();
        }
        return Response.ok(success(result)).build();
    }

    @POST
    @NonBlocking
    public Response evaluateAll(
            @HeaderParam("X-API-Key") String apiKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
            byte[] body) {
        Object environment = environment(apiKey, authorization);
        if (environment instanceof Response refused) {
            return refused;
        }
        EnvironmentFlags flags = (EnvironmentFlags) environment;
        JsonNode context;
        try {
            context = context(body);
        } catch (InvalidContext e) {
            ObjectNode error = NODES.objectNode();
            error.put("errorCode", ErrorCode.INVALID_CONTEXT.name());
            error.put("errorDetails", e.getMessage());
            return Response.status(400).entity(error).build();
        }
        Map<String, Object> given = attributes(context);
        Map<String, Object> added = tenants.missingAttributes(given);
        String etag = etag(flags, context, added);
        if (ifNoneMatch != null && SdkKeyAuthentication.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        EvaluationContext evaluationContext = enriched(given, added);
        ObjectNode answer = NODES.objectNode();
        ArrayNode results = answer.putArray("flags");
        for (EvaluationResult result : flags.evaluator().evaluateAll(evaluationContext)) {
            result = withMissingTargetingKey(flags, result, evaluationContext);
            results.add(
                    result.isError()
                            ? error(result.flagKey(), result.errorCode(), result.errorMessage())
                            : success(result));
        }
        return Response.ok(answer).header(HttpHeaders.ETAG, etag).build();
    }

    /** The caller's environment, or the 401/403 answer for a missing, unknown or revoked key. */
    private Object environment(String apiKey, String authorization) {
        return SdkKeyAuthentication.environment(snapshots, apiKey, authorization);
    }

    /** The request's {@code context} object (empty when absent); anything else is an invalid context. */
    private JsonNode context(byte[] body) throws InvalidContext {
        if (body == null || body.length == 0) {
            return NODES.objectNode();
        }
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidContext("the request body is not valid JSON");
        } catch (IOException e) {
            throw new InvalidContext("the request body cannot be read");
        }
        if (request == null || request.isMissingNode()) {
            return NODES.objectNode();
        }
        if (!request.isObject()) {
            throw new InvalidContext("the request body must be a JSON object with a context object");
        }
        JsonNode context = request.get("context");
        if (context == null || context.isNull()) {
            return NODES.objectNode();
        }
        if (!context.isObject()) {
            throw new InvalidContext("context must be a JSON object, not "
                    + context.getNodeType().name().toLowerCase());
        }
        JsonNode targetingKey = context.get(EvaluationContext.TARGETING_KEY);
        if (targetingKey != null && !targetingKey.isNull() && !targetingKey.isTextual()) {
            throw new InvalidContext("context.targetingKey must be a string");
        }
        return context;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> attributes(JsonNode context) {
        return (Map<String, Object>) FlagValues.fromJson(context);
    }

    /** The caller's context plus the directory's attributes it lacks; copied only when there is something to add. */
    private static EvaluationContext enriched(Map<String, Object> given, Map<String, Object> added) {
        if (added.isEmpty()) {
            return EvaluationContext.of(given);
        }
        Map<String, Object> context = new HashMap<>(given);
        context.putAll(added);
        return EvaluationContext.of(context);
    }

    /**
     * A fractional split that buckets by the targeting key cannot place a subject without one; say so rather than
     * silently serving the default.
     */
    private static EvaluationResult withMissingTargetingKey(
            EnvironmentFlags flags, EvaluationResult result, EvaluationContext context) {
        if (result.reason() == Reason.DEFAULT
                && context.targetingKeyValue() == null
                && flags.bucketedByTargetingKey().contains(result.flagKey())) {
            return EvaluationResult.error(
                    result.flagKey(),
                    ErrorCode.TARGETING_KEY_MISSING,
                    "flag " + result.flagKey() + " splits by targetingKey, which the context does not have",
                    result.metadata());
        }
        return result;
    }

    private static ObjectNode success(EvaluationResult result) {
        ObjectNode node = NODES.objectNode();
        node.put("key", result.flagKey());
        if (result.value() != null) {
            node.set("value", FlagValues.toJson(result.value()));
        }
        node.put("reason", result.reason().name());
        if (result.variant() != null) {
            node.put("variant", result.variant());
        }
        node.set("metadata", FlagValues.toJson(result.metadata()));
        return node;
    }

    private static ObjectNode error(String key, ErrorCode code, String details) {
        ObjectNode node = NODES.objectNode();
        node.put("key", key);
        node.put("errorCode", code.name());
        node.put("errorDetails", details);
        return node;
    }

    /**
     * Changes with every snapshot and with the context, including the tenant attributes the directory added (in a
     * stable order): the same question against the same flags and the same tenant attributes, same answer.
     */
    private static String etag(EnvironmentFlags flags, JsonNode context, Map<String, Object> added) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((flags.environment() + "\n" + context + "\n" + added).getBytes(StandardCharsets.UTF_8));
            return "\"" + flags.snapshot().version() + "-" + HexFormat.of().formatHex(digest, 0, 8) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** A request whose context cannot be evaluated. */
    private static final class InvalidContext extends Exception {
        InvalidContext(String message) {
            super(message, null, false, false);
        }
    }
}
