package io.reefline.andon.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.andon.domain.AndonGate;
import io.reefline.andon.domain.Category;
import io.reefline.andon.domain.CellSilence;
import io.reefline.andon.domain.CordAction;
import io.reefline.andon.domain.CordState;
import io.reefline.andon.domain.Scope;
import io.reefline.andon.domain.Severity;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import io.reefline.andon.rest.ForwardedPullRequest;
import io.reefline.andon.rest.PullRequest;
import io.reefline.andon.rest.ResolveRequest;
import io.reefline.platform.outbox.Outbox;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;

/**
 * Pulls cords and moves them through their life. Every transition is stored with who and when, in the same
 * transaction as the incident snapshot for metrics-service (outbox) and the webhook messages. The role checks live
 * here as well as on the resources, so a page can never do more than its user could do through the API.
 */
@ApplicationScoped
public class CordService {

    private static final Logger LOG = Logger.getLogger(CordService.class);

    /** One page of cords with the counts of every state. */
    public record CordPage(
            Map<CordState, Long> counts, List<CordEntity> items, Map<Long, List<CordTransitionEntity>> histories) {}

    /** The cord a pull answers with; {@code created} is false when an earlier pull with the same key opened it. */
    public record Pulled(CordEntity cord, boolean created) {}

    /** The longest {@code Idempotency-Key} a pull may carry (the column's width). */
    public static final int MAX_PULL_KEY_LENGTH = 100;

    /** The name a problem gives an invalid idempotency key: the request header it came in. */
    public static final String PULL_KEY_FIELD = "Idempotency-Key";

    /** The gate's answer with the cords and the cells of the reef that block the move. */
    public record GateAnswer(boolean allowed, List<CordEntity> blocking, List<CellSilence.Verdict> blockingCells) {}

    /** How far ahead of the hub's clock a cell's {@code pulledAt} may be; further is a 400. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** How far ahead of the hub's clock a pull's {@code detectedAt} or {@code impactStartedAt} may be; further is a 400. */
    static final Duration DETECTION_SKEW = Duration.ofMinutes(1);

    /** PostgreSQL's SQLSTATE for a duplicate key in a unique index. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final Outbox outbox;
    private final WebhookService webhooks;
    private final Validator validator;
    private final Clock clock;
    private final CellService cells;
    private final ObjectMapper json;

    CordService(
            Outbox outbox,
            WebhookService webhooks,
            Validator validator,
            Clock clock,
            CellService cells,
            ObjectMapper json) {
        this.json = json;
        this.outbox = outbox;
        this.webhooks = webhooks;
        this.validator = validator;
        this.clock = clock;
        this.cells = cells;
    }

    /** Stops the line: stores the cord, its first transition, the incident event and the webhook messages. */
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public CordEntity pull(PullRequest request, String actor) {
        return open(request, actor, null).cord();
    }

    /**
     * A pull that may carry an idempotency key ({@code Idempotency-Key}, at most {@value #MAX_PULL_KEY_LENGTH}
     * characters, not blank). Without a key this is {@link #pull(PullRequest, String)}. With one, the first pull opens
     * the cord and every later valid pull with the same key, whatever its body, answers that cord as it is now and
     * records nothing (no transition, incident event or webhook message). Concurrent pulls with one key are decided by
     * the unique index on the key: the losers answer the winner's cord.
     */
    @RolesAllowed(Roles.VIEWER)
    public Pulled pull(PullRequest request, String actor, String pullKey) {
        if (pullKey == null) {
            return QuarkusTransaction.joiningExisting().call(() -> open(request, actor, null));
        }
        return keyed(() -> open(request, actor, pullKey), pullKey);
    }

    /**
     * A pull a reef's cell took and forwards (role {@code cell}): opens the cord as {@link #pull(PullRequest,
     * String, String)} does, recorded with the cell's puller, reef and time instead of the caller's. The key is
     * required: the cell sends the same key (its reef and its own id of the pull) every time it retries, so a resend
     * after a lost answer answers the cord the first delivery opened and records nothing again.
     */
    @RolesAllowed(Roles.CELL)
    public Pulled pullForwarded(ForwardedPullRequest request, String forwarder, String pullKey) {
        List<FieldViolation> violations = violationsOf(request);
        if (pullKey == null) {
            violations.add(new FieldViolation(PULL_KEY_FIELD, "is required for a forwarded pull"));
        }
        Instant pulledAt = null;
        if (request.pulledAt() != null
                && violations.stream().noneMatch(v -> v.field().equals("pulledAt"))) {
            try {
                pulledAt = Instant.parse(request.pulledAt()).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                violations.add(new FieldViolation("pulledAt", "must be an ISO-8601 UTC time ending in Z"));
            }
        }
        Instant now = now();
        if (pulledAt != null && pulledAt.isAfter(now.plus(MAX_CLOCK_SKEW))) {
            violations.add(new FieldViolation(
                    "pulledAt", "must not be more than " + MAX_CLOCK_SKEW.toMinutes() + " minutes in the future"));
        }
        if (request.pull() == null) {
            rejectIfAny(violations);
        }
        // A cell whose clock runs a little ahead of the hub's: the pull cannot have happened after the hub heard of it.
        Instant at = pulledAt == null || pulledAt.isAfter(now) ? now : pulledAt;
        Origin origin = new Origin(blankToNull(request.pulledBy()), at, blankToNull(request.reef()));
        Pulled pulled = keyed(() -> open(request.pull(), "pull.", violations, origin, pullKey), pullKey);
        if (pulled.created()) {
            LOG.infof(
                    "Cord %d pulled by %s in reef %s at %s, forwarded by %s",
                    pulled.cord().id, origin.actor(), origin.reef(), origin.at(), forwarder);
        }
        return pulled;
    }

    /** Who pulled, when, and in which reef (null: at the hub itself). */
    private record Origin(String actor, Instant at, String reef) {}

    /** Runs a keyed pull in a transaction of its own; a concurrent pull with the same key that won answers. */
    private Pulled keyed(Callable<Pulled> pull, String pullKey) {
        try {
            // A transaction of its own: when the unique index refuses the key, it is rolled back as a whole.
            return QuarkusTransaction.requiringNew().call(pull);
        } catch (RuntimeException failed) {
            if (!isUniqueViolation(failed)) {
                throw failed;
            }
            // A concurrent pull with the same key committed first: answer its cord.
            Optional<CordEntity> winner = QuarkusTransaction.requiringNew().call(() -> CordEntity.byPullKey(pullKey));
            return winner.map(cord -> new Pulled(cord, false)).orElseThrow(() -> failed);
        }
    }

    /** Validates the pull, then answers the cord an earlier pull with the same key opened, or opens a new one. */
    private Pulled open(PullRequest request, String actor, String pullKey) {
        return open(request, "", violationsOf(request), new Origin(actor, null, null), pullKey);
    }

    /**
     * Validates the pull (its fields named with {@code prefix}, adding to the {@code violations} found so far), then
     * answers the cord an earlier pull with the same key opened, or opens a new one as {@code origin} says.
     */
    private Pulled open(
            PullRequest request, String prefix, List<FieldViolation> violations, Origin origin, String pullKey) {
        pullKeyProblem(pullKey).ifPresent(violations::add);
        Category category = Category.parse(request.category()).orElse(null);
        if (category == null
                && request.category() != null
                && !request.category().isBlank()) {
            violations.add(new FieldViolation(
                    prefix + "category",
                    "must be one of "
                            + Arrays.stream(Category.values())
                                    .map(Category::code)
                                    .collect(Collectors.joining(", "))));
        }
        Severity severity = request.severity() == null
                ? Severity.DEFAULT
                : Severity.parse(request.severity()).orElse(null);
        if (severity == null) {
            violations.add(new FieldViolation(prefix + "severity", "must be one of SEV-0, SEV-1, SEV-2, SEV-3"));
        }
        Scope scope = Scope.parse(request.scope()).orElse(null);
        if (scope == null && request.scope() != null && !request.scope().isBlank()) {
            violations.add(new FieldViolation(prefix + "scope", "must be global, reef:<name> or release:<version>"));
        }
        Instant now = now();
        Instant pulledAt = origin.at() == null ? now : origin.at();
        Detection detection = detection(request, prefix, violations, now, pulledAt);
        violations.sort(Comparator.comparing(FieldViolation::field));
        rejectIfAny(violations);
        if (pullKey != null) {
            Optional<CordEntity> earlier = CordEntity.byPullKey(pullKey);
            if (earlier.isPresent()) {
                return new Pulled(earlier.get(), false);
            }
        }
        String actor = origin.actor();
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
        cord.pulledAt = pulledAt;
        cord.pulledInReef = origin.reef();
        cord.impactStartedAt = detection.impactStartedAt();
        cord.detectedAt = detection.detectedAt();
        cord.ring = detection.ring();
        cord.evidence = detection.evidence();
        cord.pullKey = pullKey;
        cord.persist();
        if (pullKey != null) {
            // Insert now, so a concurrent pull with the same key fails here on the unique index (and waits for the
            // winner's commit) before anything else of this pull is written.
            cord.flush();
        }
        CordTransitionEntity.record(cord.id, CordAction.PULL.code(), actor, pulledAt, cord.reason);
        enqueueIncident(cord, now);
        webhooks.announce(cord, WebhookService.CORD_PULLED, now);
        return new Pulled(cord, true);
    }

    /** When the impact started and the problem was detected, by which ring and why, as a pull says (all optional). */
    private record Detection(Instant impactStartedAt, Instant detectedAt, String ring, String evidence) {}

    /**
     * Reads the detection fields of a pull, adding what is wrong with them to {@code violations}: neither time may be
     * more than {@link #DETECTION_SKEW} ahead of the hub's clock, the impact cannot start after the detection, and the
     * evidence is a JSON object of at most {@value PullRequest#MAX_EVIDENCE_BYTES} bytes. The detection defaults to
     * the pull's time and is never later than it (a clock a little ahead), nor is the impact's start later than the
     * detection.
     */
    private Detection detection(
            PullRequest request, String prefix, List<FieldViolation> violations, Instant now, Instant pulledAt) {
        Instant limit = now.plus(DETECTION_SKEW);
        Instant impact = time(request.impactStartedAt(), prefix + "impactStartedAt", violations, limit);
        Instant detected = time(request.detectedAt(), prefix + "detectedAt", violations, limit);
        if (impact != null && detected != null && impact.isAfter(detected)) {
            violations.add(new FieldViolation(prefix + "impactStartedAt", "must not be after detectedAt"));
        }
        String evidence = null;
        JsonNode sent = request.evidence();
        if (sent != null && !sent.isNull()) {
            if (!sent.isObject()) {
                violations.add(new FieldViolation(prefix + "evidence", "must be a JSON object"));
            } else {
                evidence = serialized(sent);
                int bytes = evidence.getBytes(StandardCharsets.UTF_8).length;
                if (bytes > PullRequest.MAX_EVIDENCE_BYTES) {
                    violations.add(new FieldViolation(
                            prefix + "evidence",
                            "must be at most " + PullRequest.MAX_EVIDENCE_BYTES + " bytes as JSON, is " + bytes));
                }
            }
        }
        Instant detectedAt = detected == null || detected.isAfter(pulledAt) ? pulledAt : detected;
        Instant impactStartedAt = impact == null || !impact.isAfter(detectedAt) ? impact : detectedAt;
        return new Detection(impactStartedAt, detectedAt, blankToNull(request.ring()), evidence);
    }

    /** A time of a pull, if given and well-formed (the format itself is the annotation's to check), not after limit. */
    private static Instant time(String value, String field, List<FieldViolation> violations, Instant limit) {
        if (value == null || violations.stream().anyMatch(v -> v.field().equals(field))) {
            return null;
        }
        Instant parsed;
        try {
            parsed = Instant.parse(value).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            violations.add(new FieldViolation(field, "must be an ISO-8601 UTC time ending in Z"));
            return null;
        }
        if (parsed.isAfter(limit)) {
            violations.add(new FieldViolation(
                    field, "must not be in the future (at most " + DETECTION_SKEW.toMinutes() + " minute ahead)"));
            return null;
        }
        return parsed;
    }

    private String serialized(JsonNode evidence) {
        try {
            return json.writeValueAsString(evidence);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Evidence could not be written as JSON", e);
        }
    }

    /** Records the fix of an open cord; the line moves again once no other cord is open. */
    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public CordEntity resolve(long id, ResolveRequest request, String actor, Set<String> ifMatch) {
        rejectIfAny(violationsOf(request));
        CordEntity cord = lockForTransition(id, ifMatch);
        Instant now = now();
        cord.state = next(cord, CordAction.RESOLVE);
        cord.resolvedBy = actor;
        cord.resolvedAt = now;
        cord.resolution = request.resolution().strip();
        cord.fixVersion = blankToNull(request.fixVersion());
        String note = cord.fixVersion == null ? cord.resolution : cord.resolution + " (fix: " + cord.fixVersion + ")";
        CordTransitionEntity.record(cord.id, CordAction.RESOLVE.code(), actor, now, note);
        cord.flush();
        enqueueIncident(cord, now);
        webhooks.announce(cord, WebhookService.CORD_RESOLVED, now);
        return cord;
    }

    /** Moves an open or resolved cord into history. */
    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public CordEntity close(long id, String actor, Set<String> ifMatch) {
        CordEntity cord = lockForTransition(id, ifMatch);
        Instant now = now();
        Instant incidentEndBefore = incidentEnd(cord);
        cord.state = next(cord, CordAction.CLOSE);
        cord.closedBy = actor;
        cord.closedAt = now;
        CordTransitionEntity.record(cord.id, CordAction.CLOSE.code(), actor, now, null);
        cord.flush();
        // Closing a resolved cord changes nothing metrics-service knows; closing an open one ends the incident.
        if (!Objects.equals(incidentEndBefore, incidentEnd(cord))) {
            enqueueIncident(cord, now);
        }
        return cord;
    }

    /** The problem is back: a resolved or closed cord is open again and stops the line. */
    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public CordEntity reopen(long id, String actor, Set<String> ifMatch) {
        CordEntity cord = lockForTransition(id, ifMatch);
        Instant now = now();
        cord.state = next(cord, CordAction.REOPEN);
        cord.resolvedBy = null;
        cord.resolvedAt = null;
        cord.resolution = null;
        cord.fixVersion = null;
        cord.closedBy = null;
        cord.closedAt = null;
        CordTransitionEntity.record(cord.id, CordAction.REOPEN.code(), actor, now, null);
        cord.flush();
        enqueueIncident(cord, now);
        return cord;
    }

    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public CordEntity find(long id) {
        CordEntity cord = CordEntity.findById(id);
        if (cord == null) {
            throw ProblemException.notFound("Cord", id);
        }
        return cord;
    }

    /** Cords in {@code state} (all when empty), newest first, with the counts of every state. */
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public CordPage list(Optional<CordState> state, PageRequest paging) {
        var query = state.isPresent()
                ? CordEntity.<CordEntity>find("state = ?1 order by id desc", state.get())
                : CordEntity.<CordEntity>find("order by id desc");
        List<CordEntity> items = query.range(paging.firstResult(), paging.firstResult() + paging.size() - 1)
                .list();
        return new CordPage(
                counts(),
                items,
                CordTransitionEntity.ofCords(items.stream().map(c -> c.id).toList()));
    }

    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public List<CordEntity> openCords() {
        return CordEntity.inState(CordState.OPEN);
    }

    /** Resolved and closed cords together (the page's history), newest change first. */
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public List<CordEntity> history(int limit) {
        return CordEntity.<CordEntity>find(
                        "state in ?1 order by coalesce(closedAt, resolvedAt) desc, id desc",
                        List.of(CordState.RESOLVED, CordState.CLOSED))
                .page(0, limit)
                .list();
    }

    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public Map<CordState, Long> counts() {
        Map<CordState, Long> counts = new EnumMap<>(CordState.class);
        for (CordState state : CordState.values()) {
            counts.put(state, 0L);
        }
        CordEntity.getEntityManager()
                .createQuery("select c.state, count(c) from CordEntity c group by c.state", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((CordState) row[0], (Long) row[1]));
        return counts;
    }

    /**
     * May {@code release} move in {@code reef} and {@code ring}? Asks {@link AndonGate}, the one place the rule lives,
     * with the open cords and the heartbeats of the cells (a silent cell, or one with cords waiting, holds its reef).
     */
    @Transactional
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public GateAnswer gate(String release, String reef, String ring) {
        List<CordEntity> open = CordEntity.inState(CordState.OPEN);
        AndonGate.Decision decision = AndonGate.decide(
                open.stream().map(CordEntity::asOpenCord).toList(),
                reef == null ? List.of() : cells.heartbeats(),
                release,
                reef,
                ring,
                cells.now(),
                cells.allowedSilence());
        Set<Long> blocking = Set.copyOf(decision.blockingCords());
        return new GateAnswer(
                decision.allowed(),
                open.stream()
                        .filter(c -> blocking.contains(c.id))
                        .sorted(Comparator.comparing(c -> c.id))
                        .toList(),
                decision.blockingCells());
    }

    /**
     * Loads the cord locked for update, so concurrent transitions of one cord run one after the other and the second
     * sees the first's result (a 409 or 412, never a silent overwrite).
     */
    private CordEntity lockForTransition(long id, Set<String> ifMatch) {
        CordEntity cord = CordEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (cord == null) {
            throw ProblemException.notFound("Cord", id);
        }
        if (!ifMatch.isEmpty() && !ifMatch.contains(cord.etagValue())) {
            throw ProblemException.stale("Cord " + id, "\"" + cord.etagValue() + "\"");
        }
        return cord;
    }

    private static CordState next(CordEntity cord, CordAction action) {
        return action.from(cord.state)
                .orElseThrow(() -> ProblemException.conflict("Cord " + cord.id + " is " + cord.state.code() + "; only a"
                        + " cord that is " + action.allowedFrom() + " can be " + pastTense(action)));
    }

    private static String pastTense(CordAction action) {
        return switch (action) {
            case PULL -> "pulled";
            case RESOLVE -> "resolved";
            case CLOSE -> "closed";
            case REOPEN -> "reopened";
        };
    }

    /** When the incident ended as metrics-service sees it: the fix, else the close of a never-resolved cord. */
    private static Instant incidentEnd(CordEntity cord) {
        if (cord.resolvedAt != null) {
            return cord.resolvedAt;
        }
        return cord.state == CordState.CLOSED ? cord.closedAt : null;
    }

    /** A full snapshot of the incident: metrics-service keeps the newest one. */
    private void enqueueIncident(CordEntity cord, Instant now) {
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
                        cord.impactStartedAt,
                        cord.detectedAt,
                        incidentEnd(cord),
                        cord.suspectedRelease,
                        cord.fixVersion,
                        IncidentEvent.SOURCE,
                        List.copyOf(cord.links),
                        cord.ring,
                        now));
    }

    private <T> List<FieldViolation> violationsOf(T request) {
        List<FieldViolation> violations = new ArrayList<>();
        for (ConstraintViolation<T> violation : validator.validate(request)) {
            String field = violation.getPropertyPath().toString().replace(".<list element>", "");
            violations.add(new FieldViolation(field, violation.getMessage()));
        }
        violations.sort(Comparator.comparing(FieldViolation::field));
        return violations;
    }

    private static void rejectIfAny(List<FieldViolation> violations) {
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.validation(
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                    violations));
        }
    }

    /** What is wrong with a pull's idempotency key, if anything; no key at all is fine. */
    private static Optional<FieldViolation> pullKeyProblem(String pullKey) {
        if (pullKey == null) {
            return Optional.empty();
        }
        if (pullKey.isBlank()) {
            return Optional.of(new FieldViolation(PULL_KEY_FIELD, "must not be blank"));
        }
        if (pullKey.length() > MAX_PULL_KEY_LENGTH) {
            return Optional.of(
                    new FieldViolation(PULL_KEY_FIELD, "must be at most " + MAX_PULL_KEY_LENGTH + " characters"));
        }
        return Optional.empty();
    }

    /** Did the database refuse a row because a unique index already holds its value? */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof ConstraintViolationException violation
                    && violation.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /** The database keeps microseconds; so does everything that is compared with it. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The incident id metrics-service knows this cord by. */
    static String incidentId(CordEntity cord) {
        return "andon-" + cord.id;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
