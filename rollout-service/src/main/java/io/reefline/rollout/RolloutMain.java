package io.reefline.rollout;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.reefline.platform.database.EmbeddedDatabase;
import io.reefline.platform.rest.RequestEdges;

/** Starts rollout-service, on an embedded PostgreSQL when no datasource URL is configured. */
@QuarkusMain
public final class RolloutMain {

    private RolloutMain() {}

    public static void main(String... args) {
        RequestEdges.takeOverUriValidation();
        EmbeddedDatabase.startIfUnconfigured("rollout");
        Quarkus.run(args);
    }
}
