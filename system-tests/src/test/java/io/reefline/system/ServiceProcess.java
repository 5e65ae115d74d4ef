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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged Reefline service running as its own process on its own embedded PostgreSQL, as {@code ./suite} runs
 * it. Started from {@code <service>/target/quarkus-app/quarkus-run.jar}, which the reactor builds before this module.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Path REPO =
            Path.of(System.getProperty("reefline.repo", "..")).toAbsolutePath();
    private static final String JAVA = System.getProperty("reefline.java", "java");

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
            Path jar = REPO.resolve(service + "-service/target/quarkus-app/quarkus-run.jar");
            if (!Files.exists(jar)) {
                throw new IllegalStateException(jar + " is missing: build with ./mvnw package first");
            }
            List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
            command.add("-Dquarkus.http.port=" + port);
            command.add("-Dreefline.data-dir=" + dataDir);
            properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
            command.add("-jar");
            command.add(jar.toString());
            ServiceProcess started = new ServiceProcess(service, port, dataDir.resolve(service + ".log"));
            started.process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(started.log.toFile())
                    .start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
