package io.reefline.andon.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.andon.config.AndonConfig;
import io.reefline.andon.domain.CellSilence;
import io.reefline.andon.persistence.CellHeartbeatEntity;
import io.reefline.andon.rest.ForwardedPullRequest;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The heartbeats of the reefs' cells: each replica of a reef's cell says, every few seconds, how many cords its spool
 * still holds for the hub. The hub records when it heard it (its own clock, never the cell's), and the gate holds a
 * reef while one of its replicas is silent for longer than {@code andon.cell-silence} or reports cords
 * waiting ({@link CellSilence}).
 */
@ApplicationScoped
public class CellService {

    private static final Logger LOG = Logger.getLogger(CellService.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Pattern NAME = Pattern.compile(ForwardedPullRequest.REEF_NAME);
    private static final Pattern UTC_TIME = Pattern.compile(ForwardedPullRequest.UTC_TIME);
    private static final Set<String> FIELDS = Set.of("replica", "queuedCords", "oldestQueuedAt", "sentAt");

    private final Clock clock;
    private final Duration allowedSilence;

    CellService(Clock clock, AndonConfig config) {
        this.clock = clock;
        this.allowedSilence = config.cellSilence();
    }

    /**
     * Records a heartbeat of {@code reef}'s cell (the JSON body as sent: {@code replica}, {@code queuedCords},
     * {@code oldestQueuedAt}, {@code sentAt}), heard now, and answers how the replica stands. A heartbeat sent (by the
     * replica's clock) before the one already stored arrived late and is not taken.
     */
    @Transactional
    @RolesAllowed(Roles.CELL)
    public CellSilence.Verdict heartbeat(String reef, String body, String reportedBy) {
        Report report = parse(reef, body);
        Instant now = now();
        CellHeartbeatEntity.record(
                reef,
                report.replica(),
                now,
                report.queuedCords(),
                report.oldestQueuedAt(),
                report.sentAt(),
                reportedBy);
        // As stored: a heartbeat sent before the stored one was not taken.
        CellHeartbeatEntity stored = CellHeartbeatEntity.findById(new CellHeartbeatEntity.Key(reef, report.replica()));
        CellSilence.Verdict verdict = CellSilence.judge(stored.asHeartbeat(), now, allowedSilence);
        LOG.debugf("Heartbeat of %s/%s: %d cords waiting", reef, report.replica(), report.queuedCords());
        return verdict;
    }

    /** How every replica of every known cell stands now, by reef and replica. */
    @Transactional
    @RolesAllowed(Roles.VIEWER)
    public List<CellSilence.Verdict> cells() {
        Instant now = now();
        return heartbeats().stream()
                .map(heartbeat -> CellSilence.judge(heartbeat, now, allowedSilence))
                .toList();
    }

    /**
     * Forgets a replica of a reef's cell that is gone for good (a StatefulSet scaled down), so that its silence no
     * longer holds the reef. A replica that comes back is known again with its next heartbeat.
     */
    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public void forget(String reef, String replica, String actor) {
        long deleted = CellHeartbeatEntity.delete("key.reef = ?1 and key.replica = ?2", reef, replica);
        if (deleted == 0) {
            throw ProblemException.notFound("Cell", reef + "/" + replica);
        }
        LOG.infof("Cell %s/%s forgotten by %s", reef, replica, actor);
    }

    /** The last heartbeat of every replica of every cell (for the gate: no role of its own). */
    @Transactional
    public List<CellSilence.Heartbeat> heartbeats() {
        return CellHeartbeatEntity.all().stream()
                .map(CellHeartbeatEntity::asHeartbeat)
                .toList();
    }

    /** How long a cell may stay silent before the gate holds its reef. */
    public Duration allowedSilence() {
        return allowedSilence;
    }

    /** The database keeps microseconds; so does everything that is compared with it. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private record Report(String replica, int queuedCords, Instant oldestQueuedAt, Instant sentAt) {}

    /** The body, strictly: every field of its JSON type, no unknown fields, nothing coerced. */
    private static Report parse(String reef, String body) {
        List<FieldViolation> violations = new ArrayList<>();
        if (reef == null || !NAME.matcher(reef).matches()) {
            violations.add(new FieldViolation("reef", "must be a reef name (at most 100 characters)"));
        }
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(
                    Problem.typed("malformed-json", 400, "Malformed JSON", "The request body is not valid JSON"));
        }
        if (node == null || !node.isObject()) {
            throw new ProblemException(Problem.validation(
                    "The body must be a JSON object", List.of(new FieldViolation("body", "must be a JSON object"))));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                violations.add(new FieldViolation(name, "is not a known field"));
            }
        }
        String replica = null;
        JsonNode replicaNode = node.get("replica");
        if (replicaNode == null || replicaNode.isNull()) {
            violations.add(new FieldViolation("replica", "must not be null"));
        } else if (!replicaNode.isTextual()
                || !NAME.matcher(replicaNode.textValue()).matches()) {
            violations.add(new FieldViolation("replica", "must be a replica name (at most 100 characters)"));
        } else {
            replica = replicaNode.textValue();
        }
        int queued = -1;
        JsonNode queuedNode = node.get("queuedCords");
        if (queuedNode == null || queuedNode.isNull()) {
            violations.add(new FieldViolation("queuedCords", "must not be null"));
        } else if (!queuedNode.isIntegralNumber() || !queuedNode.canConvertToInt() || queuedNode.intValue() < 0) {
            violations.add(new FieldViolation("queuedCords", "must be a whole number of at least 0"));
        } else {
            queued = queuedNode.intValue();
        }
        Instant oldest = time(node, "oldestQueuedAt", false, violations);
        if (queued > 0 && oldest == null && !node.hasNonNull("oldestQueuedAt")) {
            violations.add(new FieldViolation("oldestQueuedAt", "must not be null while cords are queued"));
        }
        if (queued == 0 && node.hasNonNull("oldestQueuedAt")) {
            violations.add(new FieldViolation("oldestQueuedAt", "must be null while no cord is queued"));
        }
        Instant sentAt = time(node, "sentAt", true, violations);
        if (!violations.isEmpty()) {
            violations.sort(Comparator.comparing(FieldViolation::field));
            throw new ProblemException(Problem.validation(
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                    violations));
        }
        return new Report(replica, queued, oldest, sentAt);
    }

    private static Instant time(JsonNode node, String field, boolean required, List<FieldViolation> violations) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violations.add(new FieldViolation(field, "must not be null"));
            }
            return null;
        }
        if (value.isTextual() && UTC_TIME.matcher(value.textValue()).matches()) {
            try {
                return Instant.parse(value.textValue()).truncatedTo(ChronoUnit.MICROS);
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        violations.add(new FieldViolation(field, "must be an ISO-8601 UTC time ending in Z"));
        return null;
    }
}
