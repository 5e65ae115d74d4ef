package io.reefline.flag.service;

import io.reefline.flag.ofrep.Catalog;
import io.reefline.flag.ofrep.ReplicatedSnapshot;
import io.reefline.flag.ofrep.TenantAttributes;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What this primary replicates to the cells' followers: its current catalog and tenant attributes as one {@link
 * ReplicatedSnapshot} document. Encoded once per change, however many followers ask.
 */
@ApplicationScoped
public class Replication {

    /** An encoded snapshot and the state it was encoded from. */
    public record Encoded(String tag, byte[] body, Catalog catalog, TenantAttributes tenants) {}

    private final FlagSnapshots snapshots;
    private final TenantDirectory tenants;
    private volatile Encoded last;

    Replication(FlagSnapshots snapshots, TenantDirectory tenants) {
        this.snapshots = snapshots;
        this.tenants = tenants;
    }

    /** Whether this replica has loaded any flags yet (a follower must not replace a good snapshot with nothing). */
    public boolean loaded() {
        return snapshots.catalog().version() >= 0;
    }

    /** The tag of the current state (encoding it once if it changed). */
    public String tag() {
        return current().tag();
    }

    /** The current state, encoded; reused while neither the catalog nor the tenant attributes change. */
    public Encoded current() {
        Catalog catalog = snapshots.catalog();
        TenantAttributes attributes = tenants.attributes();
        Encoded cached = last;
        if (cached != null && cached.catalog() == catalog && cached.tenants() == attributes) {
            return cached;
        }
        Encoded encoded = new Encoded(
                ReplicatedSnapshot.tag(catalog, attributes),
                ReplicatedSnapshot.encode(catalog, attributes),
                catalog,
                attributes);
        last = encoded;
        return encoded;
    }
}
