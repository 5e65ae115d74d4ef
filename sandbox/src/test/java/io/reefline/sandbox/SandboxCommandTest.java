package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.sandbox.SandboxCommand.ReefsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxCommandTest {

    @Test
    void reefsDefaultsToTheSuiteLayout() {
        ReefsOptions options = ReefsOptions.parse(List.of());
        assertEquals(SandboxSpec.defaults(), options.spec());
        Path kubeconfig = Path.of(".suite/sandbox/kubeconfig").toAbsolutePath();
        assertEquals(kubeconfig, options.kubeconfig());
        assertEquals(kubeconfig.resolveSibling("reefs.properties"), options.stateFile());
    }

    @Test
    void reefsTakesEveryOption() {
        ReefsOptions options = ReefsOptions.parse(List.of(
                "--reefs",
                "8",
                "--instances",
                "400",
                "--seed",
                "7",
                "--kubelet-delay-ms",
                "150",
                "--kubeconfig",
                "/tmp/k/config",
                "--state-file",
                "/tmp/s/reefs.properties",
                "--base-port",
                "40000",
                "--health-port",
                "40100",
                "--no-malformed-instance"));
        SandboxSpec spec = options.spec();
        assertEquals(8, spec.reefs());
        assertEquals(400, spec.instancesPerReef());
        assertEquals(7, spec.seed());
        assertEquals(Duration.ofMillis(150), spec.kubeletDelay());
        assertEquals(40000, spec.basePort());
        assertEquals(40100, spec.healthPort());
        assertFalse(spec.includeMalformedInstance());
        assertEquals(Path.of("/tmp/k/config"), options.kubeconfig());
        assertEquals(Path.of("/tmp/s/reefs.properties"), options.stateFile());
    }

    @Test
    void reefsTakesTheMisbehavingBuildsAndTheSignalsOptions() {
        SandboxSpec spec = ReefsOptions.parse(List.of(
                        "--reefs",
                        "3",
                        "--degraded-error-rate",
                        "0.2",
                        "--degraded-latency-ms",
                        "700",
                        "--crashloop-every",
                        "PT30S",
                        "--signals-to",
                        "reef-eu-1=http://cell-eu.local:8080",
                        "--signals-to-cells",
                        "http://localhost:{port:8091}",
                        "--signals-interval",
                        "PT5S"))
                .spec();
        assertEquals(new ImageFaults(0.2, Duration.ofMillis(700), Duration.ofSeconds(30)), spec.faults());
        assertEquals(
                Map.of(
                        "reef-us-1", URI.create("http://localhost:8091"),
                        "reef-eu-1", URI.create("http://cell-eu.local:8080"),
                        "reef-au-1", URI.create("http://localhost:8093")),
                spec.signals().cells(),
                "a named cell wins over the template");
        assertEquals(Duration.ofSeconds(5), spec.signals().interval());

        assertEquals(
                Map.of(
                        "reef-us-1", URI.create("http://cell.reef-us-1.local"),
                        "reef-eu-1", URI.create("http://cell.reef-eu-1.local")),
                ReefsOptions.parse(List.of("--reefs", "2", "--signals-to-cells", "http://cell.{reef}.local"))
                        .spec()
                        .signals()
                        .cells());

        SandboxSpec defaults = ReefsOptions.parse(List.of()).spec();
        assertEquals(ImageFaults.defaults(), defaults.faults());
        assertFalse(defaults.signals().enabled(), "no signals unless a cell is named");
        assertEquals(Duration.ofSeconds(15), defaults.signals().interval());
    }

    @Test
    void reefsRejectsBadArguments() {
        for (List<String> bad : List.of(
                List.of("--reefs"),
                List.of("--reefs", "zero"),
                List.of("--reefs", "0"),
                List.of("--instances", "-3"),
                List.of("--kubelet-delay-ms", "-1"),
                List.of("--base-port", "65535", "--reefs", "3"),
                List.of("--colour", "blue"),
                List.of("--degraded-error-rate", "1.5"),
                List.of("--degraded-error-rate", "lots"),
                List.of("--degraded-latency-ms", "-5"),
                List.of("--crashloop-every", "PT0S"),
                List.of("--crashloop-every", "120"),
                List.of("--signals-to", "reef-us-1"),
                List.of("--signals-to", "reef-us-1=not a url"),
                List.of("--signals-to", "reef-au-7=http://localhost:8091"),
                List.of("--signals-to-cells", "http://localhost:{port}"),
                List.of("--signals-to-cells", "http://localhost:{port:65535}", "--reefs", "2"),
                List.of("--signals-interval", "15"),
                List.of("--signals-interval", "PT0.5S"),
                List.of("--signals-interval", "PT2H"),
                List.of("stray"))) {
            assertThrows(IllegalArgumentException.class, () -> ReefsOptions.parse(bad), bad.toString());
        }
    }

    @Test
    void badArgumentsExitWithUsage() throws Exception {
        for (List<String> bad : List.<List<String>>of(List.of(), List.of("reefs", "--reefs", "x"), List.of("keys"))) {
            Process process =
                    sandbox(bad).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), bad.toString());
            assertEquals(2, process.exitValue(), bad.toString());
            assertTrue(errors.contains("usage: sandbox"), errors);
        }
    }

    @Test
    void reefsRunsUntilTerminated(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("sandbox/kubeconfig");
        Process process = sandbox(List.of(
                        "reefs",
                        "--reefs",
                        "2",
                        "--instances",
                        "3",
                        "--kubelet-delay-ms",
                        "100",
                        "--kubeconfig",
                        kubeconfig.toString(),
                        "--signals-to-cells",
                        "http://127.0.0.1:{port:8091}"))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            List<String> lines = CompletableFuture.supplyAsync(() -> linesUntilReady(process))
                    .get(60, TimeUnit.SECONDS);
            assertEquals(4, lines.size(), lines.toString());
            assertTrue(lines.get(0).matches("reef-us-1 +us +http://127\\.0\\.0\\.1:\\d+ +3 instances"), lines.get(0));
            assertTrue(lines.get(1).matches("reef-eu-1 +eu +http://127\\.0\\.0\\.1:\\d+ +3 instances"), lines.get(1));
            assertEquals(
                    "signals every PT15S to reef-us-1=http://127.0.0.1:8091 reef-eu-1=http://127.0.0.1:8092",
                    lines.get(2));
            assertEquals("sandbox ready", lines.get(3));
            assertTrue(Files.readString(kubeconfig).contains("reef-eu-1"));
            assertTrue(Files.readString(dir.resolve("sandbox/reefs.properties"))
                    .contains("reefline.kubeconfig=" + kubeconfig.toAbsolutePath()));

            process.destroy(); // SIGTERM, as ./suite down sends it
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "still running after SIGTERM");
            assertEquals(143, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }

    private static List<String> linesUntilReady(Process process) {
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals(SandboxCommand.READY_LINE)) {
                    return lines;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("output ended before the ready line: " + lines);
    }

    /** The sandbox command in a JVM of its own, on this test's class path. */
    private static ProcessBuilder sandbox(List<String> args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                SandboxCommand.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command);
    }
}
