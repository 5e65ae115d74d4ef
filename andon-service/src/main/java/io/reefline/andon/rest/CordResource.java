package io.reefline.andon.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.andon.domain.CordState;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.service.CordService;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.CellIdentity;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Pull, read and move andon cords. Anyone signed in may pull: stopping the line must never need permission. Resolve,
 * close and reopen are for operators and honour {@code If-Match} with the cord's ETag.
 */
@Path("/api/cords")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CordResource {

    /** A page of cords in the shape of every list ({@code page, size, total, items}), with the count per state. */
    public record CordList(int page, int size, long total, List<CordView> items, Map<String, Long> counts) {}

    /** The request header that makes a pull idempotent. */
    static final String IDEMPOTENCY_KEY = CordService.PULL_KEY_FIELD;

    private final CordService cords;
    private final SecurityIdentity identity;

    CordResource(CordService cords, SecurityIdentity identity) {
        this.cords = cords;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(Roles.VIEWER)
    @Operation(
            summary = "Pull a cord: stop the line",
            description = "Opens a cord (201 with Location and ETag). With an Idempotency-Key header a repeated pull"
                    + " opens nothing new: it answers the cord the first pull with that key opened, as GET"
                    + " /api/cords/{id} would (200 with ETag), and records no transition, incident event or webhook"
                    + " message. The key wins: a later pull with the same key but a different (valid) body still"
                    + " answers the stored cord unchanged.")
    @APIResponse(responseCode = "201", description = "The cord was opened")
    @APIResponse(responseCode = "200", description = "A pull with this Idempotency-Key opened the cord before")
    @APIResponse(responseCode = "400", description = "Invalid body or Idempotency-Key (problem+json)")
    public Response pull(
            @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            description = "Optional, at most " + CordService.MAX_PULL_KEY_LENGTH
                                    + " characters, not blank (e.g. the sender's event id). Pulls with the same key"
                                    + " open one cord.")
                    @HeaderParam(IDEMPOTENCY_KEY)
                    String idempotencyKey,
            @Valid @NotNull PullRequest request,
            @Context HttpHeaders headers,
            UriInfo uri) {
        CordService.Pulled pulled = cords.pull(request, Caller.name(identity), pullKey(idempotencyKey, headers));
        CordEntity cord = pulled.cord();
        if (!pulled.created()) {
            return changed(cord);
        }
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(String.valueOf(cord.id))
                        .build())
                .tag(etag(cord))
                .entity(view(cord))
                .build();
    }

    @POST
    @Path("forwarded")
    @RolesAllowed(Roles.CELL)
    @Operation(
            summary = "Take a pull a reef's cell forwards",
            description = "For the cells only (role cell). A person or sidecar pulled the cord at a reef's cell,"
                    + " which verified their token and kept the pull while the hub could not be reached. Opens the"
                    + " cord recorded with pulledBy, pulledAt (the cell's time: time to detect starts there) and"
                    + " the reef it was pulled in, with everything a pull does (transition, incident event,"
                    + " webhooks). The Idempotency-Key is required: the cell sends <reef>:<its id of the pull> on"
                    + " every attempt, and a repeat answers the cord the first one opened (200) and records"
                    + " nothing again. A cell forwards the pulls of the reef its token names only: reef and the"
                    + " key's <reef> must be that reef.")
    @APIResponse(responseCode = "201", description = "The cord was opened")
    @APIResponse(responseCode = "200", description = "A pull with this Idempotency-Key opened the cord before")
    @APIResponse(responseCode = "400", description = "Invalid body, or a missing or invalid Idempotency-Key")
    @APIResponse(
            responseCode = "403",
            description = "The caller is not a cell, or the pull or its key names another reef than the cell's token"
                    + " (its reefline_reef claim)")
    public Response pullForwarded(
            @Parameter(
                            name = IDEMPOTENCY_KEY,
                            in = ParameterIn.HEADER,
                            required = true,
                            description = "Required, at most " + CordService.MAX_PULL_KEY_LENGTH
                                    + " characters: <reef>:<the cell's id of the pull>")
                    @HeaderParam(IDEMPOTENCY_KEY)
                    String idempotencyKey,
            @NotNull ForwardedPullRequest request,
            @Context HttpHeaders headers,
            UriInfo uri) {
        requireOwnReef(request, idempotencyKey);
        CordService.Pulled pulled =
                cords.pullForwarded(request, Caller.name(identity), pullKey(idempotencyKey, headers));
        CordEntity cord = pulled.cord();
        if (!pulled.created()) {
            return changed(cord);
        }
        return Response.created(uri.getBaseUriBuilder()
                        .path("api/cords")
                        .path(String.valueOf(cord.id))
                        .build())
                .tag(etag(cord))
                .entity(view(cord))
                .build();
    }

    private static final Pattern REEF_NAME = Pattern.compile(ForwardedPullRequest.REEF_NAME);

    /** A cell forwards what was pulled in its own reef only, under keys of its own reef. */
    private void requireOwnReef(ForwardedPullRequest request, String idempotencyKey) {
        // A malformed reef is the validation's to answer (400).
        if (request != null
                && request.reef() != null
                && REEF_NAME.matcher(request.reef()).matches()) {
            CellIdentity.requireActsFor(identity, request.reef(), "forward cords pulled");
        }
        // A key otherwise valid must be <reef>:<id> of the cell's own reef, so no cell answers another reef's cords.
        if (idempotencyKey != null
                && !idempotencyKey.isBlank()
                && idempotencyKey.length() <= CordService.MAX_PULL_KEY_LENGTH) {
            int colon = idempotencyKey.indexOf(':');
            CellIdentity.requireActsFor(
                    identity, colon < 0 ? "" : idempotencyKey.substring(0, colon), "key forwarded pulls (<reef>:<id>)");
        }
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public CordList list(@QueryParam("state") String state, @Valid @BeanParam PageRequest paging) {
        Optional<CordState> filter = Optional.empty();
        if (state != null && !state.isBlank()) {
            filter = Optional.of(CordState.parse(state)
                    .orElseThrow(() -> ProblemException.badRequest(
                            "state",
                            "must be one of "
                                    + Arrays.stream(CordState.values())
                                            .map(CordState::code)
                                            .collect(Collectors.joining(", ")))));
        }
        CordService.CordPage found = cords.list(filter, paging);
        Map<String, Long> counts = new LinkedHashMap<>();
        found.counts().forEach((s, n) -> counts.put(s.code(), n));
        List<CordView> items = found.items().stream()
                .map(c -> CordView.of(c, found.histories().getOrDefault(c.id, List.of())))
                .toList();
        long total = filter.map(f -> found.counts().getOrDefault(f, 0L))
                .orElseGet(() -> found.counts().values().stream()
                        .mapToLong(Long::longValue)
                        .sum());
        return new CordList(paging.page(), paging.size(), total, items, counts);
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Response get(@PathParam("id") long id) {
        CordEntity cord = cords.find(id);
        return Response.ok(view(cord)).tag(etag(cord)).build();
    }

    @POST
    @Path("{id}/resolve")
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    public Response resolve(
            @PathParam("id") long id,
            @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            @Valid @NotNull ResolveRequest request) {
        return changed(cords.resolve(id, request, Caller.name(identity), IfMatch.required(ifMatch, "Cord " + id)));
    }

    @POST
    @Path("{id}/close")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    public Response close(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return changed(cords.close(id, Caller.name(identity), IfMatch.required(ifMatch, "Cord " + id)));
    }

    @POST
    @Path("{id}/reopen")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.OPERATOR)
    @Transactional
    public Response reopen(@PathParam("id") long id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        return changed(cords.reopen(id, Caller.name(identity), IfMatch.required(ifMatch, "Cord " + id)));
    }

    /** The pull's idempotency key; a header sent empty (or only blanks, which HTTP trims) is a blank key, not none. */
    private static String pullKey(String value, HttpHeaders headers) {
        if (value != null) {
            return value;
        }
        List<String> sent = headers.getRequestHeader(IDEMPOTENCY_KEY);
        return sent == null || sent.isEmpty() ? null : "";
    }

    private static Response changed(CordEntity cord) {
        return Response.ok(view(cord)).tag(etag(cord)).build();
    }

    static CordView view(CordEntity cord) {
        return CordView.of(cord, CordTransitionEntity.ofCord(cord.id));
    }

    static EntityTag etag(CordEntity cord) {
        return new EntityTag(cord.etagValue());
    }
}
