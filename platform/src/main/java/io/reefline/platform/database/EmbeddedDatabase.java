package io.reefline.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Starts a real PostgreSQL in the service's data folder when no datasource URL is configured, so a service runs on a
 * laptop without any database installed. With a configured URL (production, Kubernetes) it does nothing.
 *
 * <p>Called from each service's {@code main} before Quarkus starts; the JDBC URL is handed to Quarkus as a system
 * property. The server stops with the JVM and the data survives a restart.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";

    private EmbeddedDatabase() {}

    /**
     * Starts the embedded server for {@code service} unless a datasource URL is configured.
     *
     * @return the server, or {@code null} when an external database is configured
     */
    public static EmbeddedPostgres startIfUnconfigured(String service) {
        if (isExternalDatabaseConfigured()) {
            return null;
        }
        Path dataDir = dataDirectory(service).resolve("postgres");
        try {
            Files.createDirectories(dataDir);
            long started = System.nanoTime();
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // TCP only: socket paths under a deep data folder can exceed the 107-character limit.
                    .setServerConfig("unix_socket_directories", "")
                    .setServerConfig("max_connections", "50")
                    .start();
            String url = postgres.getJdbcUrl("postgres", "postgres");
            System.setProperty(URL_PROPERTY, url);
            System.setProperty("quarkus.datasource.username", "postgres");
            System.setProperty("quarkus.datasource.password", "");
            LOG.infof(
                    "Embedded PostgreSQL for %s started in %d ms at %s (data in %s)",
                    service, (System.nanoTime() - started) / 1_000_000, url, dataDir);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
        }
    }

    static boolean isExternalDatabaseConfigured() {
        String property = System.getProperty(URL_PROPERTY);
        String env = System.getenv(URL_ENV);
        return (property != null && !property.isBlank()) || (env != null && !env.isBlank());
    }

    /** {@code reefline.data-dir} (or {@code REEFLINE_DATA_DIR}), else {@code data/<service>} under the working folder. */
    static Path dataDirectory(String service) {
        String configured = System.getProperty("reefline.data-dir", System.getenv("REEFLINE_DATA_DIR"));
        Path dir = configured == null || configured.isBlank() ? Path.of("data", service) : Path.of(configured);
        return dir.toAbsolutePath();
    }
}
