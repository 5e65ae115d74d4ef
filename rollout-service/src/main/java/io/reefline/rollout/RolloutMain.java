package io.reefline.rollout;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.reefline.platform.database.EmbeddedDatabase;

/** Starts rollout-service, on an embedded PostgreSQL when no datasource URL is configured. */
@QuarkusMain
public final class RolloutMain {

    private RolloutMain() {}

    public static void main(String... args) {
        EmbeddedDatabase.startIfUnconfigured("rollout");
        Quarkus.run(args);
    }
}
