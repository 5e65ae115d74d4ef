package io.reefline.cell.follower;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reefline.cell.CellConfig;
import io.reefline.cell.CellPart;
import io.reefline.cell.HubCredentials;
import io.reefline.cell.HubHttp;
import io.reefline.flag.ofrep.Catalog;
import io.reefline.flag.ofrep.KeyBinding;
import io.reefline.flag.ofrep.OfrepSource;
import io.reefline.flag.ofrep.ReplicatedSnapshot;
import io.reefline.flag.ofrep.ReplicatedSnapshot.Replica;
import io.reefline.flag.ofrep.SdkKeyHash;
import io.reefline.flag.ofrep.TenantAttributes;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The cell's flag follower: serves OFREP from the snapshot the hub's flag-service primary replicates, polling it for
 * changes (a 304 while nothing changed) and keeping the last good snapshot on disk. When the primary cannot be
 * reached it keeps answering from what it has, across its own restarts too; a snapshot that cannot be read is never
 * half-applied.
 */
@Singleton
public class Follower implements OfrepSource, CellPart {

    private static final Logger LOG = Logger.getLogger(Follower.class);
    private static final String PATH = "/api/replication/snapshot";

    /** What the follower answers from, and since when. */
    private record Held(Replica replica, Instant appliedAt, String origin) {}

    private final FollowerConfig config;
    private final HubCredentials credentials;
    private final URI snapshotUri;
    private final SnapshotFile file;
    private final Clock clock = Clock.systemUTC();
    private final AtomicLong changesApplied = new AtomicLong();

    private volatile Held held;
    private volatile Instant lastContact;
    private volatile String lastProblem;
    private volatile boolean running;
    private Thread poller;

    Follower(
            FollowerConfig config,
            CellConfig cell,
            HubCredentials credentials,
            @ConfigProperty(name = "reefline.services.flag") URI primary) {
        this.config = config;
        this.credentials = credentials;
        this.snapshotUri = URI.create(primary.toString().replaceAll("/+$", "") + PATH);
        this.file = new SnapshotFile(cell.dataDir().resolve("flags"));
    }

    void start(@Observes StartupEvent event) {
        loadPersisted();
        running = true;
        poller = new Thread(this::follow, "flag-follower");
        poller.setDaemon(true);
        poller.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }

    /** The snapshot a previous run kept, so OFREP answers before (and without) the primary. */
    private void loadPersisted() {
        try {
            Optional<byte[]> persisted = file.read();
            if (persisted.isEmpty()) {
                LOG.infof(
                        "No flag snapshot in %s yet; OFREP answers once the primary at %s is reached",
                        file.path(), snapshotUri);
                return;
            }
            Replica replica = ReplicatedSnapshot.decode(persisted.get(), clock);
            held = new Held(replica, clock.instant(), "disk");
            LOG.infof(
                    "Serving OFREP from the flag snapshot kept in %s (version %d, %d environments)",
                    file.path(),
                    replica.catalog().version(),
                    replica.catalog().environments().size());
        } catch (IOException | ReplicatedSnapshot.InvalidSnapshotException e) {
            LOG.errorf(
                    "The flag snapshot in %s cannot be used (%s); waiting for the primary",
                    file.path(), e.getMessage());
        }
    }

    private void follow() {
        Duration wait = config.pollInterval();
        boolean unreachable = false;
        while (running) {
            String problem = pollOnce();
            if (problem == null) {
                if (unreachable) {
                    LOG.infof("The flag primary at %s answers again", snapshotUri);
                }
                unreachable = false;
                wait = config.pollInterval();
            } else {
                if (!unreachable) {
                    LOG.warnf(
                            "The flag primary at %s cannot be followed (%s); OFREP keeps answering from snapshot %s",
                            snapshotUri,
                            problem,
                            held == null ? "(none yet)" : held.replica().tag());
                }
                unreachable = true;
                wait = min(wait.multipliedBy(2), config.maxBackoff());
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One question to the primary; null when it answered as expected, else what went wrong. */
    String pollOnce() {
        HttpRequest.Builder request = HttpRequest.newBuilder(snapshotUri)
                .timeout(config.timeout())
                .header("Accept", "application/json")
                .GET();
        Held current = held;
        if (current != null) {
            request.header("If-None-Match", current.replica().tag());
        }
        credentials.authorization().ifPresent(value -> request.header("Authorization", value));
        HttpResponse<byte[]> response;
        try {
            response = HubHttp.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return problem(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return problem("interrupted");
        }
        int status = response.statusCode();
        if (status == 304) {
            return contact();
        }
        if (status != 200) {
            return problem("HTTP " + status
                    + (status == 401 || status == 403
                            ? " (the cell's service token is missing or not accepted: reefline.auth.service-token)"
                            : ""));
        }
        Replica replica;
        try {
            replica = ReplicatedSnapshot.decode(response.body(), clock);
        } catch (ReplicatedSnapshot.InvalidSnapshotException e) {
            return problem("the primary's snapshot cannot be used: " + e.getMessage());
        }
        held = new Held(replica, clock.instant(), "primary");
        changesApplied.incrementAndGet();
        try {
            file.write(response.body());
        } catch (IOException e) {
            LOG.errorf(
                    "The flag snapshot cannot be kept in %s (%s); a restart would wait for the primary",
                    file.path(), e);
        }
        return contact();
    }

    private String contact() {
        lastContact = clock.instant();
        lastProblem = null;
        return null;
    }

    private String problem(String problem) {
        lastProblem = problem;
        return problem;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // --- OfrepSource ---------------------------------------------------------------------------------------------

    @Override
    public KeyBinding binding(String sdkKey) {
        Held current = held;
        return current == null ? null : current.replica().catalog().keys().get(hash(sdkKey));
    }

    /** SDK keys' hashes, remembered for the few keys a reef's applications use (cleared if it grows past that). */
    private final Map<String, String> hashes = new ConcurrentHashMap<>();

    private String hash(String sdkKey) {
        String hash = hashes.get(sdkKey);
        if (hash == null) {
            if (hashes.size() >= 1_024) {
                hashes.clear();
            }
            hash = SdkKeyHash.of(sdkKey);
            hashes.put(sdkKey, hash);
        }
        return hash;
    }

    @Override
    public Catalog catalog() {
        Held current = held;
        return current == null ? Catalog.EMPTY : current.replica().catalog();
    }

    @Override
    public TenantAttributes tenants() {
        Held current = held;
        return current == null ? TenantAttributes.NONE : current.replica().tenants();
    }

    // --- CellPart ------------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return "follower";
    }

    @Override
    public boolean ready() {
        return held != null;
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("primary", snapshotUri.toString());
        Held current = held;
        details.put("snapshot", current == null ? "none yet" : current.replica().tag());
        if (current != null) {
            details.put("catalogVersion", current.replica().catalog().version());
            details.put(
                    "environments", current.replica().catalog().environments().size());
            details.put("tenants", current.replica().tenants().size());
            details.put("appliedAt", current.appliedAt().toString());
            details.put("from", current.origin());
        }
        details.put("lastContact", lastContact == null ? "never" : lastContact.toString());
        if (lastProblem != null) {
            details.put("lastProblem", lastProblem);
        }
        return details;
    }

    @Override
    public Map<String, Double> gauges() {
        Map<String, Double> gauges = new LinkedHashMap<>();
        Held current = held;
        gauges.put(
                "catalog_version",
                current == null ? -1.0 : current.replica().catalog().version());
        gauges.put("primary_reachable", lastProblem == null && lastContact != null ? 1.0 : 0.0);
        Instant contact = lastContact;
        gauges.put(
                "seconds_since_contact",
                contact == null
                        ? -1.0
                        : Duration.between(contact, clock.instant()).toMillis() / 1000.0);
        gauges.put("snapshots_applied", (double) changesApplied.get());
        return gauges;
    }
}
