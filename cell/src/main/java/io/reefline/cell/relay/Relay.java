package io.reefline.cell.relay;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reefline.cell.CellConfig;
import io.reefline.cell.CellPart;
import io.reefline.cell.HubCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The relay: the reef's own endpoint for cords and reports. What it accepts is in its spool on disk before it answers,
 * and a forwarder per hub service delivers the spool, in order, exactly once as far as the hub can tell (the hub
 * deduplicates resends by the cord's {@code Idempotency-Key}, {@code <reef>:<relay id>}, and by a report's event id).
 * Reported to health, metrics and {@code GET /api/cell} as the cell part {@code relay}.
 */
@ApplicationScoped
public class Relay implements CellPart {

    private static final Logger LOG = Logger.getLogger(Relay.class.getName());

    /** Where forwarded pulls go at the hub's andon-service. */
    static final String FORWARDED_CORDS_PATH = "/api/cords/forwarded";
    /** Where downtime reports go at the hub's metrics-service: the same path the sidecar calls. */
    static final String DOWNTIME_PATH = "/api/events/downtime";
    /** Where signal samples go at the hub's rollout-service: the same path the sidecar calls. */
    static final String SIGNALS_PATH = "/api/signals";

    private final String reef;
    private final RelayConfig config;
    private final Clock clock;
    private final Map<Destination, URI> hubs = new EnumMap<>(Destination.class);
    private final HubCredentials credentials;
    private final RelaySpool spool;
    private final String spoolProblem;
    private final Map<Destination, RelayForwarder> forwarders = new EnumMap<>(Destination.class);
    private final InstanceIdentities instances;
    private volatile String tokenProblem;

    Relay(
            CellConfig cell,
            RelayConfig config,
            @ConfigProperty(name = "reefline.services.andon") URI andon,
            @ConfigProperty(name = "reefline.services.metrics") URI metrics,
            @ConfigProperty(name = "reefline.services.rollout") URI rollout,
            HubCredentials credentials,
            InstanceIdentities instances) {
        this.reef = cell.reef();
        this.instances = instances;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.credentials = credentials;
        hubs.put(Destination.ANDON, andon);
        hubs.put(Destination.METRICS, metrics);
        hubs.put(Destination.ROLLOUT, rollout);
        if (reef.length() + 1 + 36 > RelayValidation.MAX_KEY_LENGTH) {
            throw new IllegalStateException("reefline.cell.reef is too long for the hub's Idempotency-Key (<reef>:<id>,"
                    + " at most " + RelayValidation.MAX_KEY_LENGTH + " characters): use at most 63 characters");
        }
        RelaySpool opened = null;
        String problem = null;
        try {
            opened = new RelaySpool(
                    cell.dataDir().resolve("relay"),
                    config.capacity(),
                    Map.of(Destination.ROLLOUT, config.signalsCapacity()));
        } catch (IOException | RuntimeException e) {
            problem = "cannot open the spool in " + cell.dataDir().resolve("relay") + ": " + e;
            LOG.log(Level.SEVERE, "The relay " + problem + "; it answers 503 until the cell is restarted", e);
        }
        this.spool = opened;
        this.spoolProblem = problem;
    }

    void start(@Observes StartupEvent started) {
        if (spool == null) {
            return;
        }
        if (credentials.authorization().isEmpty()) {
            LOG.warning("Neither reefline.auth.service-token nor smallrye.jwt.sign.key.location is set: the hub will"
                    + " refuse what the relay forwards until one is; everything waits in the spool");
        }
        for (Destination destination : Destination.values()) {
            RelayForwarder forwarder =
                    new RelayForwarder(destination, spool, hubs.get(destination), credentials, config, clock);
            forwarders.put(destination, forwarder);
            forwarder.start();
        }
        LOG.info("Relay of reef " + reef + " forwards cords to " + hubs.get(Destination.ANDON) + ", reports to "
                + hubs.get(Destination.METRICS) + " and signal samples to " + hubs.get(Destination.ROLLOUT)
                + "; spool in " + spool.root());
    }

    void stop(@Observes ShutdownEvent stopping) {
        forwarders.values().forEach(RelayForwarder::stop);
    }

    /** Why the relay cannot verify tokens (every call is a 401 then), for the part's details; null when it can. */
    void tokenProblem(String problem) {
        this.tokenProblem = problem;
    }

    /** The reef this relay serves. */
    String reef() {
        return reef;
    }

    Instant now() {
        return clock.instant();
    }

    /** The spool, or empty when it could not be opened. */
    Optional<RelaySpool> spool() {
        return Optional.ofNullable(spool);
    }

    /**
     * Queues a cord pull for the hub: the body andon's {@code POST /api/cords/forwarded} takes, with the hub's
     * idempotency key {@code <reef>:<relay id>}. A pull with the sender's {@code Idempotency-Key} gets an id derived
     * from that key, so the same key is the same pull here and at the hub, also after the first one was delivered.
     */
    RelaySpool.Offered queueCord(String pullJson, String pulledBy, String senderKey) throws IOException {
        Instant now = now();
        String id = senderKey == null ? UUID.randomUUID().toString() : derivedId("cord", senderKey);
        String body = "{\"pulledBy\":" + RelayRoutes.quote(pulledBy) + ",\"reef\":" + RelayRoutes.quote(reef)
                + ",\"pulledAt\":\"" + now + "\",\"pull\":" + pullJson + "}";
        return requireSpool()
                .offer(new RelayMessage(
                        id,
                        Destination.ANDON,
                        FORWARDED_CORDS_PATH,
                        reef + ":" + id,
                        now,
                        "cord pulled by " + pulledBy,
                        body));
    }

    /**
     * Queues a downtime report for the hub, verbatim. One event (or a sender's {@code Idempotency-Key}) gives the
     * relay id, so a sender's retry while the report still waits is not queued twice; the hub stores each event id
     * once anyway.
     */
    RelaySpool.Offered queueDowntime(String json, String eventId, String senderKey, String reportedBy)
            throws IOException {
        String id = senderKey != null
                ? derivedId("downtime-key", senderKey)
                : eventId != null
                        ? derivedId("downtime", eventId)
                        : UUID.randomUUID().toString();
        return requireSpool()
                .offer(new RelayMessage(
                        id,
                        Destination.METRICS,
                        DOWNTIME_PATH,
                        null,
                        now(),
                        "downtime report" + (eventId == null ? "" : " " + eventId) + " from " + reportedBy,
                        json));
    }

    /**
     * Queues a signal sample for the hub's rollout-service, with its {@code reef} already set to this cell's. The relay
     * id comes from the instance and the window's start, as the hub's {@code Idempotency-Key} {@code
     * signal-<instanceId>-<from epoch seconds>} does: a sidecar's resend while the sample still waits is not queued
     * twice, and one that arrives after delivery is stored once by the hub.
     */
    RelaySpool.Offered queueSignal(String json, String instanceId, Instant from, String reportedBy) throws IOException {
        String hubKey = "signal-" + instanceId + "-" + from.getEpochSecond();
        return requireSpool()
                .offer(new RelayMessage(
                        derivedId("signal", hubKey),
                        Destination.ROLLOUT,
                        SIGNALS_PATH,
                        hubKey,
                        now(),
                        "signal sample of instance " + instanceId + " from " + from + " by " + reportedBy,
                        json));
    }

    private RelaySpool requireSpool() throws IOException {
        if (spool == null) {
            throw new IOException("The relay " + spoolProblem);
        }
        return spool;
    }

    private static String derivedId(String kind, String key) {
        return UUID.nameUUIDFromBytes((kind + "\n" + key).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    // --- CellPart ----------------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "relay";
    }

    @Override
    public boolean ready() {
        return spool != null && spool.writable();
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reef", reef);
        if (tokenProblem != null) {
            details.put("tokens", "every call is refused: " + tokenProblem);
        }
        details.put("instances", instances.details());
        if (spool == null) {
            details.put("error", spoolProblem);
            return details;
        }
        details.put("spool", spool.root().toString());
        details.put("capacity", spool.capacity());
        Instant now = now();
        Map<String, Object> destinations = new LinkedHashMap<>();
        for (Destination destination : Destination.values()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("hub", hubs.get(destination).toString());
            one.put("queued", spool.queued(destination));
            spool.oldestAcceptedAt(destination)
                    .ifPresent(at ->
                            one.put("oldestQueuedAge", Duration.between(at, now).toString()));
            RelayForwarder forwarder = forwarders.get(destination);
            if (forwarder != null) {
                forwarder.lastDelivery().ifPresent(at -> one.put("lastDelivery", at.toString()));
                if (!destination.keepsRefused()) {
                    one.put("dropped", forwarder.dropped());
                }
                forwarder.lastFailure().ifPresent(failure -> {
                    one.put("lastHubError", failure.error());
                    one.put("lastHubErrorAt", failure.at().toString());
                });
            }
            destinations.put(destination.code(), one);
        }
        details.put("destinations", destinations);
        details.put("rejected", spool.rejected());
        return details;
    }

    @Override
    public Map<String, Double> gauges() {
        Map<String, Double> gauges = new LinkedHashMap<>();
        gauges.put("token_reviews", (double) instances.reviewsSent());
        gauges.put("pod_reads", (double) instances.podReads());
        if (spool == null) {
            return gauges;
        }
        Instant now = now();
        for (Destination destination : Destination.values()) {
            gauges.put("queued_" + destination.code(), (double) spool.queued(destination));
            gauges.put(
                    "oldest_queued_seconds_" + destination.code(),
                    spool.oldestAcceptedAt(destination)
                            .map(at -> Duration.between(at, now).toMillis() / 1000.0)
                            .orElse(0.0));
            RelayForwarder forwarder = forwarders.get(destination);
            if (forwarder != null) {
                if (!destination.keepsRefused()) {
                    gauges.put("dropped_" + destination.code(), (double) forwarder.dropped());
                }
                forwarder
                        .lastDelivery()
                        .ifPresent(at -> gauges.put(
                                "last_delivery_age_seconds_" + destination.code(),
                                Duration.between(at, now).toMillis() / 1000.0));
            }
        }
        gauges.put("rejected", (double) spool.rejected());
        gauges.put("capacity", (double) spool.capacity());
        return gauges;
    }
}
