package io.reefline.flag.service;

import io.reefline.flag.ofrep.Catalog;
import io.reefline.flag.ofrep.KeyBinding;
import io.reefline.flag.ofrep.Ofrep;
import io.reefline.flag.ofrep.OfrepSource;
import io.reefline.flag.ofrep.TenantAttributes;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * OFREP on the primary: this replica's snapshots and tenant directory, answered by the same {@link Ofrep} the
 * cells' followers run, so both answer alike.
 */
@ApplicationScoped
public class PrimaryOfrep implements OfrepSource {

    private final FlagSnapshots snapshots;
    private final TenantDirectory tenants;
    private final Ofrep ofrep;

    PrimaryOfrep(FlagSnapshots snapshots, TenantDirectory tenants) {
        this.snapshots = snapshots;
        this.tenants = tenants;
        this.ofrep = new Ofrep(this);
    }

    public Ofrep ofrep() {
        return ofrep;
    }

    @Override
    public KeyBinding binding(String sdkKey) {
        return snapshots.binding(sdkKey);
    }

    @Override
    public Catalog catalog() {
        return snapshots.catalog();
    }

    @Override
    public TenantAttributes tenants() {
        return tenants.attributes();
    }
}
