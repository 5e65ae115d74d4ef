package io.reefline.flag.ofrep;

/** What OFREP answers from: the primary's live state, or a follower's replicated copy of it. */
public interface OfrepSource {

    /** The binding of an SDK key (given as the caller sent it), or null for a key never issued. */
    KeyBinding binding(String sdkKey);

    /** The current catalog. */
    Catalog catalog();

    /** The current tenant attributes. */
    TenantAttributes tenants();
}
