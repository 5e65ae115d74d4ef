package io.reefline.cell;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;

/** The cell's settings ({@code reefline.cell.*}); the hub's addresses are {@code reefline.services.*}. */
@ConfigMapping(prefix = "reefline.cell")
public interface CellConfig {

    /** The reef this cell serves, e.g. {@code reef-eu-1}. */
    String reef();

    /**
     * This replica of the reef's cell, named in its heartbeats to the hub (each replica has a spool of its own): the
     * pod's name in a StatefulSet ({@code HOSTNAME}), e.g. {@code cell-0}.
     */
    @WithDefault("cell")
    String replica();

    /** Where the follower keeps its last good snapshot and the relay its spool. */
    @WithName("data-dir")
    @WithDefault("data/cell")
    Path dataDir();
}
