package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.ofrep.Catalog;
import io.reefline.flag.ofrep.EnvironmentFlags;
import io.reefline.flag.ofrep.KeyBinding;
import io.reefline.flag.ofrep.SdkKeyHash;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagChangeCounter;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.persistence.SdkKeyEntity;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This replica's evaluation state: one {@link FlagSnapshot} per environment plus the SDK keys, swapped atomically as
 * a whole. Evaluation only reads it and never touches the database. A poll of the change counter (every
 * {@code flag.snapshot.poll-interval}) rebuilds it after any committed change on any replica; when the database
 * cannot be read, the last good state keeps serving.
 */
@ApplicationScoped
public class FlagSnapshots {

    private static final Logger LOG = Logger.getLogger(FlagSnapshots.class);

    private final AtomicReference<Catalog> current = new AtomicReference<>(Catalog.EMPTY);
    /**
     * SDK keys issued or revoked by this replica and not yet in a loaded catalog, so that a key works (or stops
     * working) here the moment its transaction commits rather than at the next poll. An entry goes once a catalog
     * holds the key (a revoked one: holds it revoked).
     */
    private final Map<String, KeyBinding> keysChangedHere = new ConcurrentHashMap<>();

    private final FlagCompilation compilation;
    private final Clock clock;
    private final Duration pollInterval;
    private ScheduledExecutorService poller;

    FlagSnapshots(
            FlagCompilation compilation,
            Clock clock,
            @ConfigProperty(name = "flag.snapshot.poll-interval", defaultValue = "0.25s") Duration pollInterval) {
        this.compilation = compilation;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    void onStart(@Observes StartupEvent start) {
        refresh();
        startPolling();
    }

    public Catalog catalog() {
        return current.get();
    }

    /** The environment an SDK key evaluates, or null for a key this service never issued. */
    public KeyBinding binding(String sdkKey) {
        String hash = SdkKeyHash.of(sdkKey);
        if (!keysChangedHere.isEmpty()) {
            KeyBinding changed = keysChangedHere.get(hash);
            if (changed != null) {
                return changed;
            }
        }
        return current.get().keys().get(hash);
    }

    /** Whether a catalog's binding of a key makes this replica's own record of it unnecessary. */
    private static boolean loaded(KeyBinding changedHere, KeyBinding inCatalog) {
        return inCatalog != null && (!changedHere.revoked() || inCatalog.revoked());
    }

    /**
     * Makes a committed key change effective on this replica at once; other replicas load it with their next poll.
     * Call only after the transaction that stored it has committed.
     */
    public void keyChanged(String hash, KeyBinding binding) {
        keysChangedHere.put(hash, binding);
    }

    /**
     * Polls the change counter on a thread of its own: Quarkus' scheduler runs nothing more often than once a second,
     * and a change should reach every replica, and through the primary every cell, well within one.
     */
    private void startPolling() {
        long millis = pollInterval.toMillis();
        if (millis <= 0) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "flag-snapshot-poll");
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** Rebuilds the snapshots if anything changed since the last build; keeps the last good ones on failure. */
    public void refresh() {
        try {
            Catalog built = QuarkusTransaction.requiringNew().call(() -> {
                long version = FlagChangeCounter.current();
                return version == current.get().version() ? null : load(version);
            });
            if (built != null) {
                // Never go back to an older catalog (a manual refresh may race the scheduled one).
                Catalog now = current.accumulateAndGet(
                        built, (previous, next) -> next.version() >= previous.version() ? next : previous);
                keysChangedHere
                        .entrySet()
                        .removeIf(e -> loaded(e.getValue(), now.keys().get(e.getKey())));
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    e,
                    "Flag definitions could not be refreshed; serving the snapshot of version %d",
                    current.get().version());
        }
    }

    private Catalog load(long version) {
        List<FlagEntity> flags = FlagEntity.allByKey();
        Map<String, EnvironmentFlags> environments = new HashMap<>();
        for (EnvironmentEntity environment : EnvironmentEntity.allByKey()) {
            Map<String, JsonNode> evaluators = compilation.evaluators(environment.evaluators);
            Map<String, FlagEnvironmentEntity> configs = FlagService.configsByFlag(environment.key);
            Map<String, FlagDefinition> definitions = new LinkedHashMap<>();
            Set<String> bucketed = new HashSet<>();
            for (FlagEntity flag : flags) {
                FlagEnvironmentEntity config = configs.get(flag.key);
                if (config == null) {
                    continue;
                }
                try {
                    FlagDefinition definition = compilation.definition(flag, config, evaluators, "", true);
                    definitions.put(flag.key, definition);
                    if (definition.hasTargeting()
                            && FlagCompilation.bucketsByTargetingKey(
                                    definition.targeting().source(), evaluators, new HashSet<>())) {
                        bucketed.add(flag.key);
                    }
                } catch (ProblemException | IllegalArgumentException e) {
                    // Writes are checked, so this is data changed behind the service's back: serve the rest.
                    LOG.errorf(
                            "Flag %s in %s cannot be evaluated and is left out: %s",
                            flag.key, environment.key, e.getMessage());
                }
            }
            FlagSnapshot snapshot =
                    FlagSnapshot.of(new FlagSet(definitions, evaluators, environment.metadata), version);
            environments.put(
                    environment.key,
                    new EnvironmentFlags(
                            environment.key, snapshot, Evaluator.over(snapshot, clock), Set.copyOf(bucketed)));
        }
        Map<String, KeyBinding> keys = new HashMap<>();
        for (SdkKeyEntity key : SdkKeyEntity.<SdkKeyEntity>listAll()) {
            keys.put(key.hash, new KeyBinding(key.environmentKey, key.revokedAt != null));
        }
        return new Catalog(version, Map.copyOf(environments), Map.copyOf(keys));
    }
}
