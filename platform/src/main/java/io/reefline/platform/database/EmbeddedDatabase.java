package io.reefline.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Starts a real PostgreSQL in the service's data folder when no datasource URL is configured, so a service runs on a
 * laptop without any database installed. With a configured URL (production, Kubernetes) it does nothing.
 *
 * <p>Called from each service's {@code main} before Quarkus starts; the JDBC URL is handed to Quarkus as a system
 * property. The server stops with the JVM and the data survives a restart.
 *
 * <p>When the JVM was killed (kill -9, OOM killer) its shutdown hook did not run, so the PostgreSQL server it started
 * keeps running and keeps the data folder locked ({@code postmaster.pid}). The next start stops such a leftover server
 * first, see {@link #stopLeftoverServer(Path)}.
 */
public final class EmbeddedDatabase {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String URL_PROPERTY = "quarkus.datasource.jdbc.url";
    static final String URL_ENV = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String PID_FILE = "postmaster.pid";
    static final String LOCK_FILE = "epg-lock";
    static final Duration GRACEFUL_STOP = Duration.ofSeconds(10);

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
            stopLeftoverServer(dataDir);
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

    /**
     * Stops a PostgreSQL server that a previous, killed run of the service left running in {@code dataDir}, so that a
     * new server can start there. The server is found through the first line of {@code postmaster.pid} and is only
     * stopped when that process still runs, is a {@code postgres} process and no running service holds the data folder's
     * lock: first with SIGTERM (PostgreSQL's smart
     * shutdown, which ends at once because the killed JVM's connections are gone), after 10 s
     * forcibly together with its child processes. A {@code postmaster.pid} whose process is gone is left to PostgreSQL,
     * which replaces it; one whose PID now belongs to a process that is not PostgreSQL is deleted, because PostgreSQL
     * would take it for a running server and refuse to start.
     *
     * @return {@code true} if a leftover server or a stale {@code postmaster.pid} was removed
     */
    public static boolean stopLeftoverServer(Path dataDir) {
        Path pidFile = dataDir.resolve(PID_FILE);
        Optional<Long> pid = readPid(pidFile);
        if (pid.isEmpty()) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            LOG.infof(
                    "%s names process %d, which no longer runs; PostgreSQL replaces the stale file on start",
                    pidFile, pid.get());
            return false;
        }
        Optional<Boolean> postgres = isPostgres(handle.get());
        if (postgres.isEmpty()) {
            LOG.warnf("%s names running process %d, which cannot be inspected; leaving it alone", pidFile, pid.get());
            return false;
        }
        if (!postgres.get()) {
            LOG.warnf(
                    "%s names process %d, which is not PostgreSQL (the PID was reused); deleting the stale file",
                    pidFile, pid.get());
            deleteQuietly(pidFile);
            return true;
        }
        if (ownedByRunningService(dataDir)) {
            LOG.warnf(
                    "PostgreSQL server %d in %s belongs to a service that is still running; leaving it alone",
                    pid.get(), dataDir);
            return false;
        }
        stop(handle.get(), pidFile);
        return true;
    }

    /**
     * Whether a live JVM still holds the lock the embedded PostgreSQL library takes on {@code epg-lock} in the data
     * folder: then the server is not left over but in use (say a second copy of the service was started on the same
     * data), and the library's own start refuses with a clear message.
     */
    static boolean ownedByRunningService(Path dataDir) {
        Path lockFile = dataDir.resolve(LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true; // held by this very JVM
        } catch (IOException e) {
            LOG.warnf("Cannot check the lock %s (%s); assuming no service holds it", lockFile, e.getMessage());
            return false;
        }
    }

    private static void stop(ProcessHandle server, Path pidFile) {
        long started = System.nanoTime();
        List<ProcessHandle> children = server.descendants().toList();
        LOG.warnf(
                "A PostgreSQL server (PID %d) left over from a previous run still holds %s; stopping it",
                server.pid(), pidFile.getParent());
        server.destroy();
        boolean graceful = awaitExit(server, GRACEFUL_STOP);
        if (!graceful) {
            LOG.warnf(
                    "PostgreSQL server %d did not stop within %d s after SIGTERM; killing it",
                    server.pid(), GRACEFUL_STOP.toSeconds());
            server.destroyForcibly();
            awaitExit(server, GRACEFUL_STOP);
        }
        // Children that outlive a killed postmaster keep its shared memory attached, which blocks the next start.
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
                awaitExit(child, Duration.ofSeconds(5));
            }
        }
        if (server.isAlive()) {
            throw new IllegalStateException(
                    "Cannot stop the PostgreSQL server " + server.pid() + " that holds " + pidFile.getParent());
        }
        LOG.infof(
                "Stopped leftover PostgreSQL server %d %s in %d ms",
                server.pid(), graceful ? "gracefully" : "forcibly", (System.nanoTime() - started) / 1_000_000);
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The PID on the first line of {@code postmaster.pid}, if the file exists and starts with a number. */
    static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            LOG.warnf("Cannot read the PID in %s (%s); leaving it to PostgreSQL", pidFile, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether {@code process} runs a {@code postgres} executable; empty when its command line cannot be read. */
    static Optional<Boolean> isPostgres(ProcessHandle process) {
        Optional<String> command = process.info().command();
        if (command.isEmpty()) {
            command = commandLineFromProc(process.pid());
        }
        return command.map(EmbeddedDatabase::isPostgresCommand);
    }

    private static Optional<String> commandLineFromProc(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            int end = 0;
            while (end < raw.length && raw[end] != 0) {
                end++;
            }
            String first = new String(raw, 0, end, StandardCharsets.UTF_8);
            return first.isBlank() ? Optional.empty() : Optional.of(first.split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean isPostgresCommand(String command) {
        String name = command.substring(command.lastIndexOf('/') + 1);
        // A postmaster that renamed its process title shows up as "postgres: ..." or "postmaster".
        return name.equals("postgres") || name.startsWith("postgres:") || name.equals("postmaster");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot delete %s: %s", file, e.getMessage());
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
