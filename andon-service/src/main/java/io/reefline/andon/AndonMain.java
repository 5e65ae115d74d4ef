package io.reefline.andon;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.reefline.platform.database.EmbeddedDatabase;
import io.reefline.platform.rest.RequestEdges;

/** Starts andon-service, on an embedded PostgreSQL when no datasource URL is configured. */
@QuarkusMain
public final class AndonMain {

    private AndonMain() {}

    public static void main(String... args) {
        RequestEdges.takeOverUriValidation();
        EmbeddedDatabase.startIfUnconfigured("andon");
        Quarkus.run(args);
    }
}
