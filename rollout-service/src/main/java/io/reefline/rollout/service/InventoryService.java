package io.reefline.rollout.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.PageRequest;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.kubernetes.DiscoveredInstance;
import io.reefline.rollout.kubernetes.InstanceDiscovery;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.persistence.InstanceEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * The fleet inventory: what discovery saw in the reefs, kept in the database with the operators' pins and opt-outs.
 * Full refreshes and single watch events are serialised, so two writers never race on one instance row.
 */
@ApplicationScoped
public class InventoryService {

    private static final Logger LOG = Logger.getLogger(InventoryService.class);
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /** What one reef's refresh found; {@code error} is set when the reef could not be read. */
    public record RefreshOutcome(String reef, int seen, int invalid, int removed, String error) {}

    /** Query filters of {@code GET /api/instances}; null means any. */
    public record Filter(
            String reef,
            String region,
            PinnedRing ring,
            String channel,
            String version,
            String window,
            Boolean active,
            Boolean invalid) {}

    public record InstancePage(long total, List<InstanceEntity> items) {}

    private final InstanceDiscovery discovery;
    private final Reefs reefs;
    private final ObjectMapper json;
    private final Clock clock;
    private final ReentrantLock writes = new ReentrantLock();

    InventoryService(InstanceDiscovery discovery, Reefs reefs, ObjectMapper json, Clock clock) {
        this.discovery = discovery;
        this.reefs = reefs;
        this.json = json;
        this.clock = clock;
    }

    /** Refreshes every configured reef; a reef that cannot be read is reported and the others go on. */
    public List<RefreshOutcome> refreshAll() {
        List<RefreshOutcome> outcomes = new ArrayList<>();
        for (Reef reef : reefs.all()) {
            outcomes.add(refresh(reef.name(), reef.region(), reef.client()));
        }
        return outcomes;
    }

    /**
     * Lists the reef's instance Deployments and stores what they say; instances of this reef that are gone from the
     * cluster are removed. Takes the client directly so a test can point it at any API server.
     */
    public RefreshOutcome refresh(String reef, String region, KubernetesClient client) {
        List<DiscoveredInstance> found;
        try {
            found = discovery.discover(reef, region, client);
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warnf("Inventory of reef %s not refreshed: %s", reef, error);
            return new RefreshOutcome(reef, 0, 0, 0, error);
        }
        writes.lock();
        try {
            int removed = QuarkusTransaction.requiringNew().call(() -> {
                Set<String> seen = new HashSet<>();
                for (DiscoveredInstance instance : found) {
                    store(instance);
                    seen.add(instance.id());
                }
                int gone = 0;
                for (InstanceEntity stored : InstanceEntity.<InstanceEntity>list("reef", reef)) {
                    if (!seen.contains(stored.id)) {
                        stored.delete();
                        gone++;
                    }
                }
                return gone;
            });
            int invalid = (int) found.stream().filter(i -> !i.valid()).count();
            return new RefreshOutcome(reef, found.size(), invalid, removed, null);
        } finally {
            writes.unlock();
        }
    }

    /** Stores one instance a watch reported as added or changed. */
    public void changed(DiscoveredInstance instance) {
        writes.lock();
        try {
            QuarkusTransaction.requiringNew().run(() -> store(instance));
        } finally {
            writes.unlock();
        }
    }

    /**
     * Records the image the upgrade scheduler just set on an instance's Deployment, before the watch or a refresh
     * reports it, under the same lock as discovery so the two never race on the row. An image whose tag is not a
     * version leaves the stored version alone (discovery will list the problem).
     */
    public void imageChanged(String id, String image) {
        writes.lock();
        try {
            QuarkusTransaction.requiringNew()
                    .run(() -> InstanceEntity.byId(id).ifPresent(instance -> {
                        if (image.equals(instance.image)) {
                            return;
                        }
                        instance.image = image;
                        try {
                            instance.currentVersion = io.reefline.platform.version.Version.parse(
                                            InstanceDiscovery.tag(image))
                                    .toString();
                        } catch (IllegalArgumentException notAVersion) {
                            LOG.debugf("Image %s of %s has no version tag", image, id);
                        }
                        instance.changedAt = clock.instant();
                    }));
        } finally {
            writes.unlock();
        }
    }

    /** Forgets an instance whose Deployment a watch reported as deleted. */
    public void removed(String reef, String id) {
        writes.lock();
        try {
            QuarkusTransaction.requiringNew().run(() -> InstanceEntity.delete("id = ?1 and reef = ?2", id, reef));
        } finally {
            writes.unlock();
        }
    }

    private void store(DiscoveredInstance found) {
        Instant now = clock.instant();
        InstanceEntity stored = InstanceEntity.byId(found.id()).orElse(null);
        if (stored != null && !stored.reef.equals(found.reef())) {
            LOG.warnf(
                    "Instance %s reported by reef %s is already known in reef %s; ids must be unique in the fleet",
                    found.id(), found.reef(), stored.reef);
            return;
        }
        if (stored == null) {
            stored = new InstanceEntity();
            stored.id = found.id();
            stored.discoveredAt = now;
        }
        String errors = write(found.errors());
        boolean changed = stored.changedAt == null
                || !found.region().equals(stored.region)
                || !equal(found.tenant(), stored.tenant)
                || !equal(found.window(), stored.windowText)
                || found.active() != stored.active
                || found.pin() != stored.annotationPin
                || !found.channel().equals(stored.channel)
                || !equal(found.image(), stored.image)
                || !equal(found.currentVersion(), stored.currentVersion)
                || !errors.equals(stored.errors);
        if (!changed) {
            // Leaves the row and its ETag alone, so a refresh does not invalidate an operator's If-Match.
            return;
        }
        stored.reef = found.reef();
        stored.region = found.region();
        stored.tenant = found.tenant();
        stored.windowText = found.window();
        stored.active = found.active();
        stored.annotationPin = found.pin();
        stored.channel = found.channel();
        stored.image = found.image();
        stored.currentVersion = found.currentVersion();
        stored.valid = found.valid();
        stored.errors = errors;
        stored.changedAt = now;
        stored.persist();
    }

    private static boolean equal(Object a, Object b) {
        return a == null ? b == null : a.equals(b);
    }

    /** The instances the planner can work with, by id. Invalid ones are left out: they have no window or version. */
    @Transactional
    public List<Instance> fleet() {
        return InstanceEntity.<InstanceEntity>list("valid", Sort.by("id")).stream()
                .map(InstanceEntity::toDomain)
                .toList();
    }

    @Transactional
    public InstancePage list(Filter filter, PageRequest paging) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (filter.reef() != null) {
            where.append(" and reef = :reef");
            params.and("reef", filter.reef());
        }
        if (filter.region() != null) {
            where.append(" and region = :region");
            params.and("region", filter.region());
        }
        if (filter.ring() != null) {
            where.append(" and coalesce(pinOverride, annotationPin, :none) = :ring");
            params.and("none", PinnedRing.NONE).and("ring", filter.ring());
        }
        if (filter.channel() != null) {
            where.append(" and channel = :channel");
            params.and("channel", filter.channel());
        }
        if (filter.version() != null) {
            where.append(" and currentVersion = :version");
            params.and("version", filter.version());
        }
        if (filter.window() != null) {
            where.append(" and windowText = :window");
            params.and("window", filter.window());
        }
        if (filter.active() != null) {
            where.append(" and active = :active");
            params.and("active", filter.active());
        }
        if (filter.invalid() != null) {
            where.append(" and valid = :valid");
            params.and("valid", !filter.invalid());
        }
        var query = InstanceEntity.<InstanceEntity>find(
                where.toString(), Sort.by("reef").and("id"), params);
        long total = query.count();
        return new InstancePage(
                total,
                query.range(paging.firstResult(), paging.firstResult() + paging.size() - 1)
                        .list());
    }

    @Transactional
    public InstanceEntity find(String id) {
        return InstanceEntity.byId(id).orElseThrow(() -> ProblemException.notFound("Instance", id));
    }

    /**
     * Pins an instance or opts it out, here and not in the cluster. Null leaves a setting as it is; {@code pin} may be
     * empty to drop the override and follow the annotation again.
     */
    @Transactional
    public InstanceEntity override(
            String id, Optional<Optional<PinnedRing>> pin, Boolean optedOut, Set<String> ifMatch) {
        InstanceEntity instance = find(id);
        if (!ifMatch.isEmpty() && !ifMatch.contains(instance.etagValue())) {
            throw ProblemException.stale("Instance " + id, "\"" + instance.etagValue() + "\"");
        }
        pin.ifPresent(p -> instance.pinOverride = p.orElse(null));
        if (optedOut != null) {
            instance.optedOut = optedOut;
        }
        instance.changedAt = clock.instant();
        instance.persistAndFlush();
        return instance;
    }

    public List<String> errors(InstanceEntity instance) {
        try {
            return json.readValue(instance.errors, STRINGS);
        } catch (JsonProcessingException e) {
            return List.of(instance.errors);
        }
    }

    private String write(List<String> errors) {
        try {
            return json.writeValueAsString(errors);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
