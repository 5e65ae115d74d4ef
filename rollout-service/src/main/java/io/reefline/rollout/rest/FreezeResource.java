package io.reefline.rollout.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.domain.window.WindowParseException;
import io.reefline.rollout.persistence.FreezeEntity;
import io.reefline.rollout.service.FreezeService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Freezes: times in which no upgrade starts, for everyone, one reef or one tenant. */
@Path("/api/freezes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class FreezeResource {

    /**
     * A new freeze as an operator writes it. Times are text so that a malformed one is reported against its field
     * together with every other problem of the request.
     */
    public record FreezeRequest(String scope, String target, String start, String end, String weekly, String reason) {}

    /** A stored freeze; {@code activeNow} says whether it holds at this moment. */
    public record FreezeView(
            long id,
            String scope,
            String target,
            Instant start,
            Instant end,
            String weekly,
            String reason,
            String createdBy,
            Instant createdAt,
            boolean activeNow) {}

    private final FreezeService freezes;
    private final SecurityIdentity identity;
    private final Clock clock;

    FreezeResource(FreezeService freezes, SecurityIdentity identity, Clock clock) {
        this.freezes = freezes;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public List<FreezeView> list() {
        Instant now = clock.instant();
        return freezes.all().stream().map(f -> view(f, now)).toList();
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    public Response create(FreezeRequest request, UriInfo uri) {
        FreezeEntity created = freezes.create(validate(request), Caller.name(identity));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(String.valueOf(created.id))
                        .build())
                .entity(view(created, clock.instant()))
                .build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("id") String id) {
        long key;
        try {
            key = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Freeze", id);
        }
        freezes.delete(key);
        return Response.noContent().build();
    }

    /** Every problem of the request at once, each against its field; nothing is stored when there is one. */
    private static FreezeService.NewFreeze validate(FreezeRequest request) {
        if (request == null) {
            throw ProblemException.badRequest("body", "is required");
        }
        List<FieldViolation> violations = new ArrayList<>();
        Freeze.Scope scope = null;
        if (blank(request.scope())) {
            violations.add(new FieldViolation("scope", "is required: global, reef or tenant"));
        } else {
            try {
                scope = Freeze.Scope.valueOf(request.scope().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                violations.add(
                        new FieldViolation("scope", "'" + request.scope() + "' is not one of global, reef, tenant"));
            }
        }
        if (scope != null && scope != Freeze.Scope.GLOBAL && blank(request.target())) {
            violations.add(new FieldViolation(
                    "target", "is required for a " + scope.name().toLowerCase(Locale.ROOT) + " freeze"));
        }
        if (scope == Freeze.Scope.GLOBAL && !blank(request.target())) {
            violations.add(new FieldViolation("target", "is only for reef and tenant freezes"));
        }

        Instant start = instant("start", request.start(), violations);
        Instant end = instant("end", request.end(), violations);
        MaintenanceWindow weekly = null;
        boolean oneOff = request.start() != null || request.end() != null;
        if (request.weekly() != null) {
            if (oneOff) {
                violations.add(new FieldViolation("weekly", "give either start and end or weekly, not both"));
            }
            try {
                weekly = MaintenanceWindow.parse(request.weekly());
            } catch (WindowParseException e) {
                violations.add(new FieldViolation("weekly", String.join("; ", e.problems())));
            }
        } else if (!oneOff) {
            violations.add(new FieldViolation(
                    "start", "give start and end (a one-off freeze) or weekly (e.g. 'Sat,Sun 00:00-24:00')"));
        } else {
            if (request.start() == null) {
                violations.add(new FieldViolation("start", "is required with end"));
            }
            if (request.end() == null) {
                violations.add(new FieldViolation("end", "is required with start"));
            }
            if (start != null && end != null && !end.isAfter(start)) {
                violations.add(new FieldViolation("end", "must be after start"));
            }
        }
        if (blank(request.reason())) {
            violations.add(new FieldViolation("reason", "is required: say why nothing may start"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.validation(
                    violations.stream()
                            .map(v -> v.field() + ": " + v.message())
                            .reduce((a, b) -> a + "; " + b)
                            .orElseThrow(),
                    violations));
        }
        return new FreezeService.NewFreeze(
                scope,
                scope == Freeze.Scope.GLOBAL ? null : request.target().strip(),
                start,
                end,
                weekly,
                request.reason().strip());
    }

    private static Instant instant(String field, String text, List<FieldViolation> violations) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "'" + text + "' is not a UTC ISO-8601 time"));
            return null;
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static FreezeView view(FreezeEntity entity, Instant now) {
        Freeze freeze = FreezeService.toDomain(entity);
        return new FreezeView(
                entity.id,
                entity.scope.toLowerCase(Locale.ROOT),
                entity.target,
                entity.startsAt,
                entity.endsAt,
                entity.weekly,
                entity.reason,
                entity.createdBy,
                entity.createdAt,
                freeze.period().covering(now).isPresent());
    }
}
