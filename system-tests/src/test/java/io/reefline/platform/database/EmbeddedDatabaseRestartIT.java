package io.reefline.platform.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service killed with SIGKILL leaves its embedded PostgreSQL running in the data folder; the next start must stop
 * that server and come up on the same data. Each "service" is a child JVM running {@link DatabaseServiceMain}.
 */
class EmbeddedDatabaseRestartIT {

    private static final String JAVA = System.getProperty("reefline.java", "java");

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private final List<ProcessHandle> servers = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (Process child : children) {
            child.destroy();
            try {
                if (!child.waitFor(30, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        servers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void shouldStopServerLeftByKilledServiceAndStartOnSameData() throws Exception {
        Path dataDir = dir.resolve("data");
        Process first = startService(dataDir, "first.log");
        ProcessHandle orphan = serverOf(dataDir);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        assertTrue(orphan.isAlive(), "a killed service leaves its PostgreSQL server running");

        Process second = startService(dataDir, "second.log");

        assertFalse(orphan.isAlive(), "the leftover server is stopped");
        ProcessHandle server = serverOf(dataDir);
        assertTrue(server.isAlive());
        assertTrue(server.pid() != orphan.pid());
        assertTrue(
                Files.readString(dir.resolve("second.log")).contains("left over from a previous run"),
                "the start says what it did");
        assertTrue(second.isAlive());
    }

    @Test
    void shouldStartOverStalePidFileOfDeadServer() throws Exception {
        Path dataDir = dir.resolve("data");
        startService(dataDir, "first.log").destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        ProcessHandle orphan = serverOf(dataDir);
        // The server dies as well (OOM killer, reboot): postmaster.pid stays behind with a dead PID.
        List<ProcessHandle> family = new ArrayList<>(orphan.descendants().toList());
        family.add(orphan);
        family.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : family) {
            process.onExit().get(10, TimeUnit.SECONDS);
        }
        Path pidFile = dataDir.resolve("postgres").resolve(EmbeddedDatabase.PID_FILE);
        assertTrue(Files.exists(pidFile));

        assertFalse(EmbeddedDatabase.stopLeftoverServer(dataDir.resolve("postgres")));
        assertQueryWorks(dataDir.resolve("postgres"));
    }

    @Test
    void shouldDeleteStalePidFileWhosePidNowBelongsToAnotherProgram() throws Exception {
        Path dataDir = dir.resolve("data");
        Process service = startService(dataDir, "first.log");
        service.destroy();
        assertTrue(service.waitFor(30, TimeUnit.SECONDS));
        Path postgresDir = dataDir.resolve("postgres");
        Path pidFile = postgresDir.resolve(EmbeddedDatabase.PID_FILE);
        assertFalse(Files.exists(pidFile), "a graceful stop removes postmaster.pid");

        Process other = new ProcessBuilder("sleep", "60").start();
        children.add(other);
        Files.writeString(pidFile, other.pid() + "\n" + postgresDir + "\n");

        assertTrue(EmbeddedDatabase.stopLeftoverServer(postgresDir));
        assertTrue(other.isAlive(), "a process that is not PostgreSQL is never stopped");
        assertFalse(Files.exists(pidFile));
        assertQueryWorks(postgresDir);
    }

    @Test
    void shouldLeaveServerOfRunningServiceAlone() throws Exception {
        Path dataDir = dir.resolve("data");
        Process running = startService(dataDir, "first.log");
        ProcessHandle server = serverOf(dataDir);

        assertFalse(EmbeddedDatabase.stopLeftoverServer(dataDir.resolve("postgres")));
        assertTrue(server.isAlive(), "the server of a running service is not stopped");
        assertTrue(running.isAlive());
    }

    @Test
    void shouldDoNothingWithoutPidFile() {
        assertFalse(EmbeddedDatabase.stopLeftoverServer(dir));
    }

    @Test
    void shouldRecognisePostgresCommands() {
        assertTrue(EmbeddedDatabase.isPostgresCommand("/tmp/embedded-pg/PG-1/bin/postgres"));
        assertTrue(EmbeddedDatabase.isPostgresCommand("postgres:"));
        assertFalse(EmbeddedDatabase.isPostgresCommand("/usr/bin/sleep"));
        assertFalse(EmbeddedDatabase.isPostgresCommand("/usr/lib/jvm/bin/java"));
        assertEquals(java.util.Optional.of(false), EmbeddedDatabase.isPostgres(ProcessHandle.current()));
    }

    private Process startService(Path dataDir, String logName) throws IOException, InterruptedException {
        Path log = dir.resolve(logName);
        Process process = new ProcessBuilder(
                        JAVA,
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dreefline.data-dir=" + dataDir,
                        DatabaseServiceMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        children.add(process);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            String output = Files.exists(log) ? Files.readString(log) : "";
            if (output.contains("READY jdbc:")) {
                return process;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + output);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the service did not start:\n" + Files.readString(log));
    }

    private ProcessHandle serverOf(Path dataDir) {
        long pid = EmbeddedDatabase.readPid(dataDir.resolve("postgres").resolve(EmbeddedDatabase.PID_FILE))
                .orElseThrow();
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow();
        servers.add(server);
        return server;
    }

    private static void assertQueryWorks(Path postgresDir) throws Exception {
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(postgresDir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("unix_socket_directories", "")
                        .start();
                Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT 1")) {
            assertTrue(result.next());
            assertEquals(1, result.getInt(1));
        }
    }
}
