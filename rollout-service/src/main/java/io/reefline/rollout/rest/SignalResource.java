package io.reefline.rollout.rest;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.CellIdentity;
import io.reefline.platform.security.Roles;
import io.reefline.rollout.analysis.SignalStore;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.persistence.InstanceEntity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signals: what each instance's sidecar observed of its instance in one reporting window (requests, errors, latency,
 * health checks, restarts). Cells forward their sidecars' windows here; canary analysis compares them.
 */
@Path("/api/signals")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SignalResource {

    /** The longest reporting window taken: a sidecar reports every minute or so. */
    static final Duration MAX_WINDOW = Duration.ofHours(1);

    /** How far ahead of this service's clock a window may end (clock skew between reefs). */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    /** One window of one instance, as a sidecar reports it. */
    public record SignalReport(
            String instanceId,
            String reef,
            String version,
            Instant from,
            Instant to,
            Long requests,
            Long errors,
            Double latencyMs,
            Integer healthChecks,
            Integer healthFailures,
            Integer restarts) {}

    private final SignalStore signals;
    private final SecurityIdentity identity;
    private final Clock clock;

    SignalResource(SignalStore signals, SecurityIdentity identity, Clock clock) {
        this.signals = signals;
        this.identity = identity;
        this.clock = clock;
    }

    @POST
    @RolesAllowed({Roles.CELL, Roles.SERVICE})
    public Response report(SignalReport report) {
        Instant now = clock.instant();
        Sample sample = validate(report, now);
        boolean stored = signals.store(sample, now);
        return Response.status(stored ? 202 : 200)
                .entity(Map.of("stored", stored))
                .build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Page<Sample> ofInstance(@QueryParam("instance") String instanceId, @Valid @BeanParam PageRequest paging) {
        if (instanceId == null || instanceId.isBlank()) {
            throw ProblemException.badRequest("instance", "is required: the instance whose windows to list");
        }
        if (instanceId.length() > 253) {
            throw ProblemException.badRequest("instance", "at most 253 characters");
        }
        return Page.of(
                paging,
                signals.countOfInstance(instanceId),
                signals.ofInstance(instanceId, paging.firstResult(), paging.size()));
    }

    private Sample validate(SignalReport report, Instant now) {
        if (report == null) {
            throw ProblemException.badRequest("body", "is required");
        }
        List<FieldViolation> violations = new ArrayList<>();
        text("instanceId", report.instanceId(), 253, violations);
        text("version", report.version(), 100, violations);
        if (report.reef() != null) {
            text("reef", report.reef(), 100, violations);
        }
        if (report.from() == null) {
            violations.add(new FieldViolation("from", "is required: the window's start"));
        }
        if (report.to() == null) {
            violations.add(new FieldViolation("to", "is required: the window's end"));
        }
        if (report.from() != null && report.to() != null) {
            if (!report.to().isAfter(report.from())) {
                violations.add(new FieldViolation("to", "must be after from"));
            } else if (Duration.between(report.from(), report.to()).compareTo(MAX_WINDOW) > 0) {
                violations.add(new FieldViolation("to", "a window is at most " + MAX_WINDOW.toMinutes() + " min"));
            }
            if (report.to().isAfter(now.plus(MAX_SKEW))) {
                violations.add(new FieldViolation("to", "is more than " + MAX_SKEW.toMinutes() + " min ahead"));
            }
        }
        if (report.requests() != null && report.requests() < 0) {
            violations.add(new FieldViolation("requests", "must not be negative"));
        }
        if (report.errors() != null) {
            if (report.requests() == null) {
                violations.add(new FieldViolation("errors", "needs requests"));
            } else if (report.errors() < 0 || report.errors() > report.requests()) {
                violations.add(new FieldViolation("errors", "must be between 0 and requests"));
            }
        }
        if (report.latencyMs() != null && (report.latencyMs() < 0 || !Double.isFinite(report.latencyMs()))) {
            violations.add(new FieldViolation("latencyMs", "must be zero or more"));
        }
        count("healthChecks", report.healthChecks(), violations);
        count("healthFailures", report.healthFailures(), violations);
        count("restarts", report.restarts(), violations);
        if (report.healthChecks() != null
                && report.healthFailures() != null
                && report.healthFailures() > report.healthChecks()) {
            violations.add(new FieldViolation("healthFailures", "must not exceed healthChecks"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.validation("Invalid signal report", violations));
        }
        String reef = reefOf(report);
        return new Sample(
                report.instanceId(),
                reef,
                report.version().strip(),
                report.from(),
                report.to(),
                report.requests(),
                report.errors(),
                report.latencyMs(),
                report.healthChecks(),
                report.healthFailures(),
                report.restarts());
    }

    /**
     * The reef of the window: a cell reports for its own reef only; a service names it or leaves it to the inventory.
     */
    private String reefOf(SignalReport report) {
        Optional<String> cellReef = CellIdentity.reefOf(identity);
        if (cellReef.isPresent()) {
            if (report.reef() != null) {
                CellIdentity.requireActsFor(identity, report.reef(), "report signals");
            }
            return cellReef.get();
        }
        if (report.reef() != null) {
            return report.reef();
        }
        Optional<String> known = QuarkusTransaction.requiringNew()
                .call(() -> Optional.ofNullable(InstanceEntity.<InstanceEntity>findById(report.instanceId()))
                        .map(i -> i.reef));
        return known.orElseThrow(() -> ProblemException.badRequest(
                "reef", "is required: instance '" + report.instanceId() + "' is not in the inventory"));
    }

    private static void text(String field, String value, int max, List<FieldViolation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(new FieldViolation(field, "is required"));
        } else if (value.length() > max) {
            violations.add(new FieldViolation(field, "at most " + max + " characters"));
        }
    }

    private static void count(String field, Integer value, List<FieldViolation> violations) {
        if (value == null) {
            violations.add(new FieldViolation(field, "is required (0 when none)"));
        } else if (value < 0) {
            violations.add(new FieldViolation(field, "must not be negative"));
        }
    }
}
