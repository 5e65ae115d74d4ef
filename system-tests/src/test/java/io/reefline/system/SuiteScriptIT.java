package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's first command works: {@code ./suite up} brings the sandbox, the hub's four services (on their
 * embedded databases) and a cell per reef to ready, {@code ./suite down} leaves no process behind, and data survives a restart. Runs on ports
 * 8281-8284 with its own suite folder, so a developer's running suite is not disturbed.
 */
class SuiteScriptIT {

    private static final Path REPO =
            Path.of(System.getProperty("reefline.repo", "..")).toAbsolutePath();
    private static final int OFFSET = 200;
    private static Path suiteHome;

    @BeforeAll
    static void suiteFolder() throws IOException {
        suiteHome = Files.createTempDirectory(REPO.resolve("system-tests/target"), "suite-it");
    }

    @AfterAll
    static void stopWhatIsLeft() throws Exception {
        suite("down");
    }

    @Test
    void shouldStartEverythingStopEverythingAndKeepData() throws Exception {
        Result up = suite("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("Reefline is up."), up.output());
        for (int port = 8081; port <= 8084; port++) {
            given().when()
                    .get("http://127.0.0.1:" + (port + OFFSET) + "/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("UP"));
        }
        String viewer = suite("token", "viewer").output().strip();
        given().auth()
                .oauth2(viewer)
                .when()
                .get(url("rollout") + "/api/reefs")
                .then()
                .statusCode(200)
                .body("", hasSize(2))
                .body("state", everyItem(equalTo("reachable")));
        // One line per component, NAME PID STATE URL: the hub's four services and a cell (flag@<reef>) per reef,
        // whose URL serves OFREP.
        Result status = suite("status");
        assertEquals(0, status.exit(), status.output());
        assertEquals(
                6, status.output().lines().filter(l -> l.contains(" ready ")).count(), status.output());
        List<String> cells =
                status.output().lines().filter(l -> l.startsWith("flag@")).toList();
        assertEquals(2, cells.size(), status.output());
        for (String line : cells) {
            String[] fields = line.trim().split("\\s+");
            assertEquals(4, fields.length, line);
            assertTrue(fields[0].matches("flag@reef-[a-z]+-\\d+"), line);
            assertTrue(fields[1].matches("\\d+"), line);
            assertEquals("ready", fields[2], line);
            given().when()
                    .post(fields[3] + "/ofrep/v1/evaluate/flags")
                    .then()
                    .statusCode(401)
                    .body("detail", containsString("SDK key"));
        }

        given().auth()
                .oauth2(viewer)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"Kept across restarts\",\"category\":\"other\",\"scope\":\"global\"}")
                .when()
                .post(url("andon") + "/api/cords")
                .then()
                .statusCode(201);

        Result down = suite("down");
        assertEquals(0, down.exit(), down.output());
        assertEquals(List.of(), processesOf(suiteHome), "processes left after ./suite down");

        Result again = suite("up");
        assertEquals(0, again.exit(), again.output());
        given().auth()
                .oauth2(viewer)
                .when()
                .get(url("andon") + "/api/status")
                .then()
                .statusCode(200)
                .body("state", equalTo("STOPPED"))
                .body("openCords[0].reason", equalTo("Kept across restarts"));
        assertEquals(0, suite("down").exit());
        assertEquals(List.of(), processesOf(suiteHome), "processes left after the second ./suite down");
    }

    private static String url(String service) {
        int base = switch (service) {
            case "flag" -> 8081;
            case "rollout" -> 8082;
            case "andon" -> 8083;
            default -> 8084;
        };
        return "http://127.0.0.1:" + (base + OFFSET);
    }

    private record Result(int exit, String output) {}

    private static Result suite(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(REPO.resolve("suite").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("SUITE_HOME", suiteHome.toString());
        env.put("SUITE_PORT_OFFSET", String.valueOf(OFFSET));
        env.put("SUITE_REEFS", "2");
        env.put("SUITE_INSTANCES", "10");
        env.put("SUITE_NO_BUILD", "1");
        Path javaBin = Path.of(System.getProperty("reefline.java", "java")).getParent();
        if (javaBin != null) {
            env.put("PATH", javaBin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("./suite " + String.join(" ", args) + " did not finish: " + output);
        }
        return new Result(process.exitValue(), output);
    }

    /** Processes whose command line mentions the suite folder: the services, the sandbox, their PostgreSQL servers. */
    private static List<String> processesOf(Path folder) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(folder.toString())) {
                        found.add(proc.getFileName() + ": " + cmdline);
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }
}
