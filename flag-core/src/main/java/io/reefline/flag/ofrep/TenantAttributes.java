package io.reefline.flag.ofrep;

import io.reefline.flag.domain.EvaluationContext;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the fleet's instance inventory says about each tenant (reef, region, ring, active), so that targeting sees
 * the same attributes as deployments. Immutable; its owner swaps it whole.
 */
public final class TenantAttributes {

    public static final String TENANT = "tenant";

    public static final TenantAttributes NONE = new TenantAttributes(Map.of());

    private final Map<String, Map<String, Object>> byTenant;

    private TenantAttributes(Map<String, Map<String, Object>> byTenant) {
        this.byTenant = byTenant;
    }

    /** Tenant → attributes (strings, booleans). */
    public static TenantAttributes of(Map<String, Map<String, Object>> byTenant) {
        Map<String, Map<String, Object>> copy = new HashMap<>();
        byTenant.forEach((tenant, attributes) -> copy.put(tenant, Map.copyOf(attributes)));
        return new TenantAttributes(Map.copyOf(copy));
    }

    public Map<String, Map<String, Object>> byTenant() {
        return byTenant;
    }

    public int size() {
        return byTenant.size();
    }

    /**
     * The attributes known for the context's tenant ({@code tenant}, else {@code targetingKey}) that the caller did
     * not give, in a stable order; empty when the tenant is unknown. A lookup and a small copy.
     */
    public Map<String, Object> missing(Map<String, Object> context) {
        if (byTenant.isEmpty()) {
            return Map.of();
        }
        Object tenant = context.get(TENANT);
        if (!(tenant instanceof String)) {
            tenant = context.get(EvaluationContext.TARGETING_KEY);
        }
        Map<String, Object> known = tenant instanceof String id ? byTenant.get(id) : null;
        if (known == null) {
            return Map.of();
        }
        Map<String, Object> missing = new TreeMap<>();
        known.forEach((name, value) -> {
            if (!context.containsKey(name)) {
                missing.put(name, value);
            }
        });
        return missing;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TenantAttributes that && byTenant.equals(that.byTenant);
    }

    @Override
    public int hashCode() {
        return byTenant.hashCode();
    }
}
