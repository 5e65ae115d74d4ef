package io.reefline.cell.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The relay's HTTP face, the same paths the instance sidecar calls at the hub, so a sidecar only needs its reef's cell
 * as its andon and metrics URL:
 *
 * <ul>
 *   <li>{@code POST /api/cords}: a cord pull; 202 {@code {"id","state":"queued"}} once it is on disk. An {@code
 *       Idempotency-Key} makes repeats one pull.
 *   <li>{@code POST /api/events/downtime}: a downtime report, forwarded verbatim.
 *   <li>{@code POST /api/signals}: a signal sample, forwarded to rollout-service with {@code reef} set to this cell's
 *       (a sample naming another reef is a 403); from a sidecar about its own instance, or with a service token.
 * </ul>
 *
 * Two kinds of callers. People bring a Reefline token (the fleet's issuer): role viewer pulls any cord, operator
 * reports downtime, as at the hub. A sidecar brings its pod's projected service-account token (any other issuer),
 * which {@link InstanceIdentities} has the reef's Kubernetes API review; it then may do its own instance's work only: a
 * cord for the release its pod runs ({@code scope} {@code release:<that version>}, {@code suspectedRelease} that
 * version or none, {@code instanceId} its own or none) and downtime of its own instance. The hub records such a cord
 * as pulled by {@code instance <id> (pod <ns>/<pod>)}.
 *
 * <p>Every error is {@code application/problem+json}: 400 with {@code {field, message}} violations, 401 without a
 * valid token, 403 without the role or for another instance's work, 413 for a body over {@code
 * reefline.cell.relay.max-body-size}, 415 for a body that is not JSON, 503 when the spool is full or cannot be written
 * or the reef's Kubernetes API cannot check a pod token now.
 */
@ApplicationScoped
public class RelayRoutes {

    private static final Logger LOG = Logger.getLogger(RelayRoutes.class.getName());
    static final String PROBLEM_JSON = "application/problem+json";
    private static final String PROBLEM_BASE = "https://reefline.io/problems/";
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Set<String> MAY_PULL = Set.of(TokenVerifier.VIEWER);
    /** People: operators record maintenance. Sidecars report their own instance's downtime with their pod token. */
    private static final Set<String> MAY_REPORT_DOWNTIME = Set.of(TokenVerifier.OPERATOR);
    /**
     * Signal samples are measurements, not opinions: a tool with a service token may send them for any instance of
     * this reef (a load generator, a replay); people, operators included, have no reason to. Sidecars send their own
     * with their pod token.
     */
    private static final Set<String> MAY_REPORT_SIGNALS = Set.of(TokenVerifier.SERVICE);

    /** Strict JSON: trailing tokens and duplicate fields are errors, numbers are never read as text. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Who called: a person (or tool) with a Reefline token, or an instance's sidecar with its pod's token. */
    sealed interface RelayCaller permits Person, Instance {
        String name();
    }

    record Person(TokenVerifier.Caller caller) implements RelayCaller {
        @Override
        public String name() {
            return caller.name();
        }
    }

    record Instance(InstanceCaller instance) implements RelayCaller {
        @Override
        public String name() {
            return instance.name();
        }
    }

    private final Relay relay;
    private final RelayConfig config;
    private final Optional<TokenVerifier> verifier;
    private final String verifierProblem;
    private final Optional<String> reeflineIssuer;
    private final InstanceIdentities instances;

    RelayRoutes(
            Relay relay,
            RelayConfig config,
            InstanceIdentities instances,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> keyLocation,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key,
            @ConfigProperty(name = "mp.jwt.verify.issuer") Optional<String> issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences") Optional<List<String>> audiences,
            @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60") int clockSkewSeconds) {
        this.relay = relay;
        this.config = config;
        this.instances = instances;
        this.reeflineIssuer = issuer.filter(i -> !i.isBlank());
        Optional<TokenVerifier> configured = Optional.empty();
        String problem = null;
        try {
            configured = TokenVerifier.configured(
                    keyLocation, key, issuer, audiences.orElse(List.of()), clockSkewSeconds, Clock.systemUTC());
            if (configured.isEmpty()) {
                problem = "the cell has no key to verify tokens with (mp.jwt.verify.publickey.location)";
            }
        } catch (IOException | RuntimeException e) {
            problem = "the cell cannot read its token verification key: " + e.getMessage();
        }
        if (problem != null) {
            LOG.severe("The relay refuses every call: " + problem);
        }
        relay.tokenProblem(problem);
        this.verifier = configured;
        this.verifierProblem = problem;
    }

    void routes(@Observes Router router) {
        BodyHandler body = BodyHandler.create(false)
                .setBodyLimit(config.maxBodySize().asLongValue())
                .setHandleFileUploads(false);
        router.post("/api/cords")
                .handler(body)
                .blockingHandler(this::pullCord, false)
                .failureHandler(RelayRoutes::failed);
        router.post("/api/events/downtime")
                .handler(body)
                .blockingHandler(this::reportDowntime, false)
                .failureHandler(RelayRoutes::failed);
        router.post(Relay.SIGNALS_PATH)
                .handler(body)
                .blockingHandler(this::reportSignal, false)
                .failureHandler(RelayRoutes::failed);
    }

    private void pullCord(RoutingContext ctx) {
        Optional<RelayCaller> caller = authorize(ctx, MAY_PULL, "pull a cord (role viewer)");
        if (caller.isEmpty()) {
            return;
        }
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        Optional<JsonNode> pull = jsonBody(ctx);
        if (pull.isEmpty()) {
            return;
        }
        List<RelayValidation.Violation> violations = new ArrayList<>(RelayValidation.pull(pull.get()));
        violations.addAll(RelayValidation.idempotencyKey(key));
        if (caller.get() instanceof Person && pull.get().has("instanceId")) {
            violations.add(new RelayValidation.Violation(
                    "instanceId", "is named only by an instance's sidecar, with its pod's token"));
        }
        if (!violations.isEmpty()) {
            invalid(ctx, violations);
            return;
        }
        if (caller.get() instanceof Instance instance) {
            Optional<String> refusal = InstanceWork.pull(instance.instance(), pull.get());
            if (refusal.isPresent()) {
                problem(ctx, 403, "Forbidden", "about:blank", refusal.get());
                return;
            }
            // Proven by the token, not taken from the body; andon's pull has no such field.
            ((ObjectNode) pull.get()).remove("instanceId");
        }
        try {
            RelaySpool.Offered queued = relay.queueCord(
                    JSON.writeValueAsString(pull.get()), caller.get().name(), key);
            if (!queued.duplicate()) {
                LOG.info("Cord pulled by " + caller.get().name() + " in reef " + relay.reef() + " queued for the hub"
                        + " as " + queued.message().hubKey());
            }
            accepted(ctx, queued);
        } catch (IOException e) {
            spoolFailed(ctx, e);
        }
    }

    private void reportDowntime(RoutingContext ctx) {
        Optional<RelayCaller> caller =
                authorize(ctx, MAY_REPORT_DOWNTIME, "report downtime (role operator, or an instance's own sidecar)");
        if (caller.isEmpty()) {
            return;
        }
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        Optional<JsonNode> report = jsonBody(ctx);
        if (report.isEmpty()) {
            return;
        }
        List<RelayValidation.Violation> violations = new ArrayList<>(RelayValidation.downtime(report.get()));
        violations.addAll(RelayValidation.idempotencyKey(key));
        if (!violations.isEmpty()) {
            invalid(ctx, violations);
            return;
        }
        if (caller.get() instanceof Instance instance) {
            Optional<String> refusal = InstanceWork.downtime(instance.instance(), report.get());
            if (refusal.isPresent()) {
                problem(ctx, 403, "Forbidden", "about:blank", refusal.get());
                return;
            }
        }
        String eventId = report.get().isObject() ? report.get().get("id").textValue() : null;
        try {
            accepted(
                    ctx,
                    relay.queueDowntime(
                            JSON.writeValueAsString(report.get()),
                            eventId,
                            key,
                            caller.get().name()));
        } catch (IOException e) {
            spoolFailed(ctx, e);
        }
    }

    private void reportSignal(RoutingContext ctx) {
        Optional<RelayCaller> caller =
                authorize(ctx, MAY_REPORT_SIGNALS, "report signals (role service, or an instance's own sidecar)");
        if (caller.isEmpty()) {
            return;
        }
        String key = ctx.request().getHeader(IDEMPOTENCY_KEY);
        Optional<JsonNode> sample = jsonBody(ctx);
        if (sample.isEmpty()) {
            return;
        }
        List<RelayValidation.Violation> violations = new ArrayList<>(RelayValidation.signal(sample.get(), relay.now()));
        violations.addAll(RelayValidation.idempotencyKey(key));
        if (!violations.isEmpty()) {
            invalid(ctx, violations);
            return;
        }
        ObjectNode body = (ObjectNode) sample.get();
        JsonNode reef = body.get("reef");
        if (reef != null && !reef.isNull() && !reef.textValue().equals(relay.reef())) {
            problem(
                    ctx,
                    403,
                    "Forbidden",
                    "about:blank",
                    "This cell relays the signals of reef " + relay.reef() + " only, not of " + reef.textValue());
            return;
        }
        if (caller.get() instanceof Instance instance) {
            Optional<String> refusal = InstanceWork.signal(instance.instance(), body);
            if (refusal.isPresent()) {
                problem(ctx, 403, "Forbidden", "about:blank", refusal.get());
                return;
            }
        }
        body.put("reef", relay.reef());
        try {
            accepted(
                    ctx,
                    relay.queueSignal(
                            JSON.writeValueAsString(body),
                            body.get("instanceId").textValue(),
                            Instant.parse(body.get("from").textValue()),
                            caller.get().name()));
        } catch (IOException e) {
            spoolFailed(ctx, e);
        }
    }

    /**
     * The verified caller: a person with one of {@code roles}, or an instance (whose work is checked against the body
     * later); otherwise the 401, 403 or 503 is sent and empty answered. A token of another issuer than the fleet's is
     * taken for a pod's service-account token when the cell knows its reef's Kubernetes API.
     */
    private Optional<RelayCaller> authorize(RoutingContext ctx, Set<String> roles, String what) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        Optional<String> podToken = instances.enabled() ? podToken(authorization) : Optional.empty();
        if (podToken.isPresent()) {
            try {
                return Optional.of(new Instance(instances.verify(podToken.get())));
            } catch (InstanceIdentities.RefusedTokenException e) {
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                problem(ctx, 401, "Unauthorized", "about:blank", e.getMessage());
            } catch (InstanceIdentities.NotAnInstanceException e) {
                problem(ctx, 403, "Forbidden", "about:blank", e.getMessage() + ", so it may not " + what);
            } catch (InstanceIdentities.ApiUnavailableException e) {
                LOG.warning(e.getMessage());
                ctx.response().putHeader("Retry-After", "5");
                problem(
                        ctx,
                        503,
                        "Service Unavailable",
                        PROBLEM_BASE + "identity-unavailable",
                        e.getMessage() + "; nothing was stored, send it again later");
            }
            return Optional.empty();
        }
        return authorizePerson(ctx, roles, what).map(Person::new);
    }

    /** The bearer token when it is a JWT of another issuer than the fleet's: a pod's service-account token. */
    private Optional<String> podToken(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            return Optional.empty();
        }
        String token = parts[1].strip();
        String[] sections = token.split("\\.");
        if (sections.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(sections[1]));
            String tokenIssuer = claims.path("iss").asText(null);
            boolean fleets = tokenIssuer == null
                    || reeflineIssuer.map(tokenIssuer::equals).orElse(false);
            return fleets ? Optional.empty() : Optional.of(token);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The verified person when they have one of {@code roles}; otherwise the 401 or 403 is sent and empty answered. */
    private Optional<TokenVerifier.Caller> authorizePerson(RoutingContext ctx, Set<String> roles, String what) {
        if (verifier.isEmpty()) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "Unauthorized", "about:blank", "This call cannot be authorized: " + verifierProblem);
            return Optional.empty();
        }
        try {
            TokenVerifier.Caller caller = verifier.get().verify(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
            if (!caller.hasAny(roles)) {
                problem(ctx, 403, "Forbidden", "about:blank", caller.name() + " may not " + what);
                return Optional.empty();
            }
            return Optional.of(caller);
        } catch (TokenVerifier.InvalidTokenException e) {
            ctx.response().putHeader("WWW-Authenticate", "Bearer");
            problem(ctx, 401, "Unauthorized", "about:blank", e.getMessage());
            return Optional.empty();
        }
    }

    /** The request's body as JSON; empty after answering 415 or 400 when it is not. */
    private static Optional<JsonNode> jsonBody(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase();
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            problem(ctx, 415, "Unsupported Media Type", "about:blank", "Send the body as application/json");
            return Optional.empty();
        }
        if (ctx.body() == null || ctx.body().length() <= 0 || ctx.body().buffer() == null) {
            invalid(ctx, List.of(new RelayValidation.Violation("body", "must not be empty")));
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(ctx.body().buffer().getBytes()));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr();
            invalid(ctx, List.of(new RelayValidation.Violation("body", "is not valid JSON" + where)));
            return Optional.empty();
        } catch (IOException e) {
            invalid(ctx, List.of(new RelayValidation.Violation("body", "cannot be read")));
            return Optional.empty();
        }
    }

    private static void accepted(RoutingContext ctx, RelaySpool.Offered queued) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", queued.message().id());
        answer.put("state", "queued");
        ctx.response()
                .setStatusCode(202)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(answer.toString());
    }

    private void spoolFailed(RoutingContext ctx, IOException e) {
        if (e instanceof RelaySpool.SpoolFullException) {
            LOG.warning(e.getMessage() + "; refusing new messages until the hub takes some");
        } else {
            LOG.log(Level.SEVERE, "The relay could not store a message", e);
        }
        ctx.response().putHeader("Retry-After", "10");
        problem(
                ctx,
                503,
                "Service Unavailable",
                PROBLEM_BASE + "relay-unavailable",
                e.getMessage() + "; nothing was stored, send it again later");
    }

    private static void invalid(RoutingContext ctx, List<RelayValidation.Violation> violations) {
        ObjectNode problem = problemBody(
                400,
                "Invalid request",
                PROBLEM_BASE + "validation",
                String.join(
                        "; ",
                        violations.stream()
                                .map(v -> v.field() + ": " + v.message())
                                .toList()));
        ArrayNode list = problem.putArray("violations");
        violations.forEach(v -> list.addObject().put("field", v.field()).put("message", v.message()));
        send(ctx, 400, problem);
    }

    /** A failure before a handler answered: the body handler's 413 and 400, or anything unexpected. */
    private static void failed(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        int status = ctx.statusCode();
        if (status == 413) {
            ctx.response().putHeader("Connection", "close");
            problem(ctx, 413, "Payload Too Large", PROBLEM_BASE + "payload-too-large", "The request body is too large");
        } else if (status >= 400 && status < 500) {
            problem(ctx, status, "Bad Request", "about:blank", "The request cannot be read");
        } else {
            LOG.log(Level.SEVERE, "The relay failed a request", ctx.failure());
            problem(ctx, 500, "Internal Server Error", "about:blank", "The relay failed; see the cell's log");
        }
    }

    static void problem(RoutingContext ctx, int status, String title, String type, String detail) {
        send(ctx, status, problemBody(status, title, type, detail));
    }

    private static ObjectNode problemBody(int status, String title, String type, String detail) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        return problem;
    }

    private static void send(RoutingContext ctx, int status, ObjectNode body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, PROBLEM_JSON)
                .end(body.toString());
    }

    /** A JSON string literal. */
    static String quote(String value) {
        return JSON.getNodeFactory().textNode(value).toString();
    }
}
