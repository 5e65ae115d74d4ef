package io.reefline.rollout.rest;

import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.IfMatch;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Roles;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.persistence.InstanceEntity;
import io.reefline.rollout.service.InventoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The fleet inventory: every discovered instance, invalid ones included, and the operators' pins and opt-outs. */
@Path("/api/instances")
@Produces(MediaType.APPLICATION_JSON)
public class InstanceResource {

    /** An instance as the API shows it; {@code ring} is the effective pin, {@code pinSource} where it comes from. */
    public record InstanceView(
            String id,
            String reef,
            String region,
            String channel,
            String tenant,
            String window,
            boolean active,
            String ring,
            String pinSource,
            boolean optedOut,
            String currentVersion,
            String image,
            boolean valid,
            List<String> errors,
            Instant discoveredAt,
            Instant changedAt) {}

    /**
     * An operator's decision. {@code pin}: {@code staff}, {@code laggard}, {@code none} (overrides the annotation) or
     * {@code annotation} (follow the {@code reefline.io/ring} annotation again); null fields stay as they are.
     */
    public record InstancePatch(String pin, Boolean optedOut) {}

    private final InventoryService inventory;

    InstanceResource(InventoryService inventory) {
        this.inventory = inventory;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<InstanceView> list(
            @QueryParam("reef") String reef,
            @QueryParam("region") String region,
            @QueryParam("ring") String ring,
            @QueryParam("channel") String channel,
            @QueryParam("version") String version,
            @QueryParam("window") String window,
            @QueryParam("active") String active,
            @QueryParam("invalid") String invalid,
            @Valid @BeanParam PageRequest paging) {
        PinnedRing pinned = ring == null || ring.isBlank()
                ? null
                : pin(ring).orElseThrow(() -> ProblemException.badRequest("ring", "must be staff, laggard or none"));
        InventoryService.InstancePage found = inventory.list(
                new InventoryService.Filter(
                        blankToNull(reef),
                        blankToNull(region),
                        pinned,
                        blankToNull(channel),
                        blankToNull(version),
                        blankToNull(window),
                        flag(active, "active"),
                        flag(invalid, "invalid")),
                paging);
        return Page.of(
                paging, found.total(), found.items().stream().map(this::view).toList());
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.VIEWER)
    public Response get(@PathParam("id") String id) {
        InstanceEntity instance = inventory.find(id);
        return Response.ok(view(instance))
                .tag(new EntityTag(instance.etagValue()))
                .build();
    }

    @PATCH
    @Path("{id}")
    @Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
    @RolesAllowed(Roles.OPERATOR)
    public Response patch(
            @PathParam("id") String id, InstancePatch patch, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        if (patch == null || (patch.pin() == null && patch.optedOut() == null)) {
            throw ProblemException.badRequest("body", "give pin, optedOut or both");
        }
        Optional<Optional<PinnedRing>> pin = Optional.empty();
        if (patch.pin() != null) {
            pin = patch.pin().equalsIgnoreCase("annotation")
                    ? Optional.of(Optional.empty())
                    : Optional.of(Optional.of(pin(patch.pin())
                            .orElseThrow(() ->
                                    ProblemException.badRequest("pin", "must be staff, laggard, none or annotation"))));
        }
        InstanceEntity instance =
                inventory.override(id, pin, patch.optedOut(), IfMatch.required(ifMatch, "Instance " + id));
        return Response.ok(view(instance))
                .tag(new EntityTag(instance.etagValue()))
                .build();
    }

    private static Optional<PinnedRing> pin(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "staff" -> Optional.of(PinnedRing.STAFF);
            case "laggard" -> Optional.of(PinnedRing.LAGGARD);
            case "none" -> Optional.of(PinnedRing.NONE);
            default -> Optional.empty();
        };
    }

    /** A true/false query parameter; absent means either. */
    private static Boolean flag(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ProblemException.badRequest(name, "must be true or false");
        };
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private InstanceView view(InstanceEntity instance) {
        return new InstanceView(
                instance.id,
                instance.reef,
                instance.region,
                instance.channel,
                instance.tenant,
                instance.windowText,
                instance.active,
                instance.effectivePin().name().toLowerCase(Locale.ROOT),
                instance.pinOverride != null ? "override" : "annotation",
                instance.optedOut,
                instance.currentVersion,
                instance.image,
                instance.valid,
                inventory.errors(instance),
                instance.discoveredAt,
                instance.changedAt);
    }
}
