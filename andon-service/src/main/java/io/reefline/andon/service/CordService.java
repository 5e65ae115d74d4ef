package io.reefline.andon.service;

import io.reefline.andon.domain.Category;
import io.reefline.andon.domain.CordState;
import io.reefline.andon.domain.Scope;
import io.reefline.andon.domain.Severity;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.rest.PullRequest;
import io.reefline.platform.outbox.Outbox;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/** Pulls cords and records every transition together with the event metrics-service will receive. */
@ApplicationScoped
public class CordService {

    private final Outbox outbox;
    private final Clock clock;

    CordService(Outbox outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Stops the line: stores the cord, its first transition and the incident event in one transaction. */
    @Transactional
    public CordEntity pull(PullRequest request, String actor) {
        List<FieldViolation> violations = new ArrayList<>();
        Category category = Category.parse(request.category()).orElse(null);
        if (category == null) {
            violations.add(new FieldViolation(
                    "category",
                    "must be one of "
                            + java.util.Arrays.stream(Category.values())
                                    .map(Category::code)
                                    .collect(Collectors.joining(", "))));
        }
        Severity severity = request.severity() == null
                ? Severity.DEFAULT
                : Severity.parse(request.severity()).orElse(null);
        if (severity == null) {
            violations.add(new FieldViolation("severity", "must be one of SEV-0, SEV-1, SEV-2, SEV-3"));
        }
        Scope scope = Scope.parse(request.scope()).orElse(null);
        if (scope == null) {
            violations.add(new FieldViolation("scope", "must be global, reef:<name> or release:<version>"));
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.validation(
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                    violations));
        }
        // The database keeps microseconds; so does everything that is compared with it.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        CordEntity cord = new CordEntity();
        cord.state = CordState.OPEN;
        cord.reason = request.reason().strip();
        cord.category = category;
        cord.severity = severity;
        cord.scope = scope.text();
        cord.suspectedRelease = blankToNull(request.suspectedRelease());
        if (cord.suspectedRelease == null && scope instanceof Scope.Release release) {
            cord.suspectedRelease = release.version();
        }
        cord.links = request.links() == null ? new ArrayList<>() : new ArrayList<>(request.links());
        cord.allowRings = request.allowRings() == null ? new ArrayList<>() : new ArrayList<>(request.allowRings());
        cord.pulledBy = actor;
        cord.pulledAt = now;
        cord.persist();
        CordTransitionEntity.record(cord.id, "pull", actor, now, cord.reason);
        UUID eventId = UUID.randomUUID();
        outbox.enqueue(
                "metrics",
                IncidentEvent.PATH,
                eventId,
                new IncidentEvent(
                        eventId,
                        incidentId(cord),
                        cord.reason,
                        cord.severity.label(),
                        now,
                        null,
                        cord.suspectedRelease,
                        null,
                        IncidentEvent.SOURCE,
                        cord.links,
                        now));
        return cord;
    }

    @Transactional
    public CordEntity find(long id) {
        CordEntity cord = CordEntity.findById(id);
        if (cord == null) {
            throw ProblemException.notFound("Cord", id);
        }
        return cord;
    }

    /** The incident id metrics-service knows this cord by. */
    static String incidentId(CordEntity cord) {
        return "andon-" + cord.id;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
