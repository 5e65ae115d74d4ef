package io.reefline.flag.domain.structured;

import java.util.Set;
import java.util.TreeSet;

/** Which tenants a flag is on for (before exclusions): all of them, a list, or a sticky percentage. */
public sealed interface TenantInclusion {

    static TenantInclusion all() {
        return new All();
    }

    static TenantInclusion listed(Set<String> tenants) {
        return new Listed(tenants);
    }

    static TenantInclusion percentage(int percent) {
        return new Percentage(percent);
    }

    /** Every tenant. */
    record All() implements TenantInclusion {}

    /** Exactly these tenants. */
    record Listed(Set<String> tenants) implements TenantInclusion {
        public Listed {
            tenants = Set.copyOf(new TreeSet<>(tenants));
        }
    }

    /**
     * A share of tenants chosen by hashing the flag key and tenant id ({@code fractional}), so a tenant that has the
     * feature at one percentage keeps it at every higher one, and different flags pick different tenants.
     */
    record Percentage(int percent) implements TenantInclusion {
        public Percentage {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a percentage of tenants is between 0 and 100, not " + percent);
            }
        }
    }
}
