package io.reefline.metrics;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.reefline.platform.database.EmbeddedDatabase;
import io.reefline.platform.rest.RequestEdges;

/** Starts metrics-service, on an embedded PostgreSQL when no datasource URL is configured. */
@QuarkusMain
public final class MetricsMain {

    private MetricsMain() {}

    public static void main(String... args) {
        RequestEdges.takeOverUriValidation();
        EmbeddedDatabase.startIfUnconfigured("metrics");
        Quarkus.run(args);
    }
}
