package io.reefline.flag.ofrep;

import java.util.Map;

/**
 * Everything OFREP reads, as of one version of the primary's flag definitions: the flags of every environment and
 * the SDK keys (by hash). Immutable; its owner swaps it whole.
 */
public record Catalog(long version, Map<String, EnvironmentFlags> environments, Map<String, KeyBinding> keys) {

    public static final Catalog EMPTY = new Catalog(-1, Map.of(), Map.of());

    public Catalog {
        environments = Map.copyOf(environments);
        keys = Map.copyOf(keys);
    }
}
