package io.reefline.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One packaged Reefline service running as its own process on its own embedded PostgreSQL (the cell: on its data
 * folder only), as {@code ./suite} runs it. Started from a copy of {@code <service>-service/target/quarkus-app} (the
 * cell: {@code cell/target/quarkus-app}), which the reactor builds before this module.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path REPO =
            Path.of(System.getProperty("reefline.repo", "..")).toAbsolutePath();
    private static final String JAVA = System.getProperty("reefline.java", "java");

    private static final Map<String, Path> COPIES = new HashMap<>();

    private final String service;
    private final int port;
    private final Path log;
    private Process process;

    private ServiceProcess(String service, int port, Path log) {
        this.service = service;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code service} on {@code port} with its data in {@code dataDir} and the given system properties. */
    static ServiceProcess start(String service, int port, Path dataDir, Map<String, String> properties) {
        try {
            Files.createDirectories(dataDir);
            Path jar = privateCopy(service).resolve("quarkus-run.jar");
            List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dreefline.data-dir=" + dataDir);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            ServiceProcess started = new ServiceProcess(service, port, dataDir.resolve(service + ".log"));
            started.process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(started.log.toFile()))
                    .start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the service's packaged application, made once per test run. The services load classes lazily from
     * their jars, so a rebuild in the working tree while they run (another build of the repository) would otherwise
     * pull jars out from under them.
     */
    private static synchronized Path privateCopy(String service) throws IOException {
        Path copy = COPIES.get(service);
        if (copy != null) {
            return copy;
        }
        String module = Files.isDirectory(REPO.resolve(service + "-service")) ? service + "-service" : service;
        Path app = REPO.resolve(module + "/target/quarkus-app");
        if (!Files.exists(app.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException(app + "/quarkus-run.jar is missing: build with ./mvnw package first");
        }
        copy = Files.createTempDirectory("reefline-" + service + "-app");
        Path target = copy;
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(app.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        if (COPIES.isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(ServiceProcess::deleteCopies));
        }
        COPIES.put(service, copy);
        return copy;
    }

    private static synchronized void deleteCopies() {
        for (Path copy : COPIES.values()) {
            try (Stream<Path> files = Files.walk(copy)) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            } catch (IOException e) {
                // a temporary folder; the system cleans it up eventually
            }
        }
    }

    /** Waits until {@code /q/health/ready} answers UP. */
    ServiceProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited with " + process.exitValue() + "; log: " + tail());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(service + " not ready within " + timeout + "; log: " + tail());
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** Stops the service the way {@code ./suite down} does: SIGTERM, then wait. */
    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills the service's JVM with SIGKILL, as the OOM killer or a crashed host would: no shutdown hook runs, so its
     * embedded PostgreSQL server is left running.
     */
    void kill() {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
