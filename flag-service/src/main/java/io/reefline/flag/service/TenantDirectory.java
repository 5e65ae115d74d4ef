package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.scheduler.Scheduled;
import io.reefline.flag.client.RolloutInventory;
import io.reefline.flag.ofrep.TenantAttributes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Tenants' attributes from rollout-service's instance inventory, so that targeting sees the same reefs, regions and
 * rings as deployments. Refreshed every {@code flag.tenants.refresh-interval} into an immutable map that is swapped
 * whole; evaluation only reads the current map (no I/O on the hot path). When rollout cannot be read the last good
 * map stays, so an outage degrades to slightly stale attributes (or none, before the first read), never to errors.
 */
@ApplicationScoped
public class TenantDirectory {

    public static final String TENANT = TenantAttributes.TENANT;
    public static final String REEF = "reef";
    public static final String REGION = "region";
    public static final String RING = "ring";
    public static final String ACTIVE = "active";

    private static final Logger LOG = Logger.getLogger(TenantDirectory.class);

    private final RolloutInventory inventory;
    private volatile TenantAttributes tenants = TenantAttributes.NONE;
    private boolean unavailable;

    TenantDirectory(RolloutInventory inventory) {
        this.inventory = inventory;
    }

    @Scheduled(
            every = "${flag.tenants.refresh-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        refresh();
    }

    /**
     * Reads the inventory and swaps in the new map; on failure keeps the current one. Synchronized so that a manual
     * refresh and the scheduled one do not interleave their outage bookkeeping.
     */
    public synchronized void refresh() {
        List<JsonNode> instances;
        try {
            instances = inventory.instances();
        } catch (RuntimeException e) {
            if (!unavailable) {
                unavailable = true;
                Throwable cause = e.getCause() == null ? e : e.getCause();
                LOG.warnf(
                        "rollout-service's instance inventory cannot be read (%s: %s); evaluation keeps the %d tenants"
                                + " it knows until it can",
                        cause.getClass().getSimpleName(), cause.getMessage(), tenants.size());
            }
            return;
        }
        tenants = TenantAttributes.of(directory(instances));
        if (unavailable) {
            unavailable = false;
            LOG.infof("rollout-service's instance inventory is readable again (%d tenants)", tenants.size());
        }
    }

    /**
     * The attributes the directory knows for the context's tenant ({@code tenant}, else {@code targetingKey}) that
     * the caller did not give, in a stable order; empty when the tenant is unknown.
     */
    public Map<String, Object> missingAttributes(Map<String, Object> context) {
        return tenants.missing(context);
    }

    /** Every tenant's attributes, as of the last good read (replicated to the followers with the flags). */
    public TenantAttributes attributes() {
        return tenants;
    }

    /**
     * Tenant → attributes. A tenant with several instances (say one per reef) takes an active one's attributes over
     * an inactive one's, and otherwise the first in rollout's order, so the answer does not flap between refreshes.
     */
    static Map<String, Map<String, Object>> directory(List<JsonNode> instances) {
        Map<String, Map<String, Object>> directory = new HashMap<>();
        for (JsonNode instance : instances) {
            String tenant = text(instance, TENANT);
            if (tenant == null) {
                continue;
            }
            Map<String, Object> attributes = attributes(instance);
            Map<String, Object> seen = directory.get(tenant);
            if (seen == null
                    || (!Boolean.TRUE.equals(seen.get(ACTIVE)) && Boolean.TRUE.equals(attributes.get(ACTIVE)))) {
                directory.put(tenant, attributes);
            }
        }
        return Map.copyOf(directory);
    }

    private static Map<String, Object> attributes(JsonNode instance) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        putIfPresent(attributes, REEF, text(instance, REEF));
        putIfPresent(attributes, REGION, text(instance, REGION));
        // rollout's ring is the effective pin (staff or laggard); an unpinned instance has none rather than "none".
        String ring = text(instance, RING);
        if (ring != null && !ring.equals("none")) {
            attributes.put(RING, ring);
        }
        attributes.put(ACTIVE, instance.path(ACTIVE).asBoolean(false));
        return Map.copyOf(attributes);
    }

    private static void putIfPresent(Map<String, Object> attributes, String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.textValue().isBlank() ? value.textValue() : null;
    }
}
