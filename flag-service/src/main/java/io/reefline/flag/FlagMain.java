package io.reefline.flag;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.reefline.platform.database.EmbeddedDatabase;
import io.reefline.platform.rest.RequestEdges;

/** Starts flag-service, on an embedded PostgreSQL when no datasource URL is configured. */
@QuarkusMain
public final class FlagMain {

    private FlagMain() {}

    public static void main(String... args) {
        RequestEdges.takeOverUriValidation();
        EmbeddedDatabase.startIfUnconfigured("flag");
        Quarkus.run(args);
    }
}
