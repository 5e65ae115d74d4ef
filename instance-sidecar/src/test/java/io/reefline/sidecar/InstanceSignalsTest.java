package io.reefline.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sidecar's signal samples, with real HTTP servers as the instance (health and Prometheus) and as the cell. */
class InstanceSignalsTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private static final String HEALTH = "/q/health/ready";
    private static final String METRICS = "/q/metrics";
    private static final String UP = "{\"status\":\"UP\",\"version\":\"2026.12.1\"}";

    private final InstanceWatchTest.TestClock clock = new InstanceWatchTest.TestClock();
    private FakeServer instance;
    private FakeServer cell;

    @TempDir
    Path spool;

    @BeforeEach
    void startServers() throws Exception {
        instance = new FakeServer();
        cell = new FakeServer();
        cell.answer(202, "{\"stored\":true}");
        instance.answer(200, UP);
    }

    @AfterEach
    void stopServers() {
        instance.close();
        cell.close();
    }

    @Test
    void shouldReportOneSamplePerWindowWithTheDeltasOfTheInstancesCounters() {
        instance.answer(METRICS, scrape(1000, 10, 50.0, 1000, 1_733_000_000));
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(environment()), clock);
        Instant from = clock.instant();
        checks(watch, 6);
        assertEquals(0, samples().size(), "the window is not over yet");
        instance.answer(METRICS, scrape(1600, 22, 95.0, 1500, 1_733_000_000));
        checks(watch, 1);

        List<FakeServer.Request> samples = samples();
        assertEquals(1, samples.size());
        FakeServer.Request sample = samples.get(0);
        assertEquals("Bearer sidecar-token", sample.authorization());
        assertEquals("signal-i-0001-" + from.getEpochSecond(), sample.idempotencyKey());
        assertEquals(
                "{\"instanceId\":\"i-0001\",\"version\":\"2026.12.1\",\"from\":\"" + from + "\",\"to\":\""
                        + from.plus(Duration.ofMinutes(1)) + "\",\"requests\":600,\"errors\":12,\"latencyMs\":90.0,"
                        + "\"healthChecks\":6,\"healthFailures\":0,\"restarts\":0}",
                sample.body(),
                "latency = 45 s / 500 requests");

        // The next window starts where the last ended and counts from its scrape.
        instance.answer(METRICS, scrape(1700, 22, 100.0, 1600, 1_733_000_000));
        checks(watch, 6);
        FakeServer.Request next = samples().get(1);
        assertTrue(next.body().contains("\"from\":\"" + from.plus(Duration.ofMinutes(1)) + "\""), next.body());
        assertTrue(next.body().contains("\"requests\":100,\"errors\":0,\"latencyMs\":50.0"), next.body());
    }

    @Test
    void shouldCountARestartWhenTheProcessStartTimeChangesAndCountFromZeroAgain() {
        instance.answer(METRICS, scrape(5000, 40, 200.0, 5000, 1_733_000_000));
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(environment()), clock);
        checks(watch, 3);
        // The container restarted: a new start time, counters from zero. Its health check failed once meanwhile.
        instance.answer(503, "{\"status\":\"DOWN\",\"version\":\"2026.12.1\"}");
        checks(watch, 1);
        instance.answer(200, UP);
        instance.answer(METRICS, scrape(300, 30, 60.0, 300, 1_733_000_045));
        checks(watch, 3);

        String body = samples().get(0).body();
        assertTrue(body.contains("\"requests\":300,\"errors\":30,\"latencyMs\":200.0"), body);
        assertTrue(body.contains("\"healthChecks\":6,\"healthFailures\":1,\"restarts\":1"), body);
    }

    @Test
    void shouldTakeACounterThatWentDownForARestartEvenWithoutAStartTime() {
        instance.answer(METRICS, "http_server_requests_total 900\nhttp_server_errors_total 9\n");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(environment()), clock);
        checks(watch, 6);
        instance.answer(METRICS, "http_server_requests_total 40\nhttp_server_errors_total 1\n");
        checks(watch, 1);

        String body = samples().get(0).body();
        assertTrue(body.contains("\"requests\":40,\"errors\":1,\"latencyMs\":null"), body);
        assertTrue(body.endsWith("\"restarts\":1}"), body);
    }

    @Test
    void shouldSendHealthChecksOnlyWhenTheInstanceExposesNoCounters() {
        Map<String, String> env = new HashMap<>(environment());
        env.remove("SIDECAR_PROMETHEUS_URL");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        instance.answer(500, "{\"status\":\"DOWN\",\"version\":\"2026.12.1\"}");
        checks(watch, 2);
        instance.answer(200, UP);
        checks(watch, 5);

        String body = samples().get(0).body();
        assertTrue(
                body.contains("\"requests\":null,\"errors\":null,\"latencyMs\":null,\"healthChecks\":6,"
                        + "\"healthFailures\":2,\"restarts\":0"),
                body);
        assertEquals(0, instance.requests(METRICS).size(), "nothing scraped");
    }

    @Test
    void shouldEndTheWindowWhenTheVersionChangesSoASampleNeverMixesTwoVersions() {
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_VERSION_URL", instance.url() + "/version");
        instance.answer("/version", "2026.12.1");
        instance.answer(METRICS, scrape(100, 0, 1.0, 100, 1_733_000_000));
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        Instant from = clock.instant();
        checks(watch, 3);
        Instant changed = clock.instant();
        instance.answer("/version", "2026.12.2");
        instance.answer(METRICS, scrape(160, 6, 7.0, 160, 1_733_000_000));
        checks(watch, 7);

        List<FakeServer.Request> samples = samples();
        assertEquals(2, samples.size());
        String old = samples.get(0).body();
        assertTrue(old.contains("\"version\":\"2026.12.1\",\"from\":\"" + from + "\",\"to\":\"" + changed + "\""), old);
        assertTrue(old.contains("\"requests\":60,\"errors\":6,\"latencyMs\":100.0,\"healthChecks\":3"), old);
        String now = samples.get(1).body();
        assertTrue(now.contains("\"version\":\"2026.12.2\",\"from\":\"" + changed + "\""), now);
    }

    @Test
    void shouldKeepSamplesInTheSpoolAndSendThemAfterTheSidecarRestarted() throws IOException {
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_SPOOL_DIR", spool.toString());
        instance.answer(METRICS, scrape(100, 0, 1.0, 100, 1_733_000_000));
        cell.answer(503, "");
        InstanceWatch first = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        Instant from = clock.instant();
        checks(first, 19);
        List<String> keys = samples().stream()
                .map(FakeServer.Request::idempotencyKey)
                .distinct()
                .toList();
        assertEquals(3, keys.size(), "three windows tried, none taken: " + keys);
        assertEquals(3, spooled().size());

        // A new container in the same pod: the old watch is gone, the spool folder stays.
        cell.answer(202, "{\"stored\":true}");
        int triedBefore = samples().size();
        InstanceWatch second = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        checks(second, 1);

        List<FakeServer.Request> resent =
                samples().subList(triedBefore, samples().size());
        assertEquals(
                List.of(
                        InstanceSignals.key("i-0001", from),
                        InstanceSignals.key("i-0001", from.plus(Duration.ofMinutes(1))),
                        InstanceSignals.key("i-0001", from.plus(Duration.ofMinutes(2)))),
                resent.stream().map(FakeServer.Request::idempotencyKey).toList(),
                "the same samples, oldest first, with their keys");
        assertTrue(
                resent.get(0).body().contains("\"from\":\"" + from + "\""),
                resent.get(0).body());
        assertEquals(0, spooled().size(), "delivered samples leave the spool");
    }

    @Test
    void shouldDropTheOldestSampleWhenTheQueueIsFullButKeepACordPull() throws IOException {
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_SPOOL_DIR", spool.toString());
        env.put("SIDECAR_MAX_QUEUED_REPORTS", "3");
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", "PT20S");
        cell.answer(503, "");
        // A new version that stays unhealthy: a cord first, then samples that pile up behind it.
        instance.answer(503, "{\"status\":\"DOWN\",\"version\":\"2026.12.1\"}");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        Instant from = clock.instant();
        checks(watch, 37);

        List<String> files = spooled();
        assertEquals(3, files.size(), "bounded: " + files);
        assertTrue(files.stream().anyMatch(f -> f.contains("/api/cords")), "the cord is kept: " + files);
        // Six windows, room for two samples: the two newest.
        List<String> kept = files.stream()
                .filter(f -> f.contains(InstanceSignals.SIGNALS_PATH))
                .map(InstanceSignalsTest::keyOf)
                .toList();
        assertEquals(
                List.of(
                        InstanceSignals.key("i-0001", from.plus(Duration.ofMinutes(4))),
                        InstanceSignals.key("i-0001", from.plus(Duration.ofMinutes(5)))),
                kept);
    }

    @Test
    void shouldCountARestartFromTheStartTimeAloneEvenWhenNoCounterWentDown() {
        // Restarted early in the window and busy since: every counter is higher than at the last scrape.
        InstanceSignals.Deltas deltas = InstanceSignals.deltas(
                new InstanceSignals.Counters(100.0, 1.0, 5.0, 100.0, 1_733_000_000.0),
                new InstanceSignals.Counters(400.0, 2.0, 30.0, 400.0, 1_733_000_010.0));
        assertEquals(1, deltas.restarts());
        assertEquals(400L, deltas.requests(), "counted from zero since the restart");
        assertEquals(2L, deltas.errors());
        assertEquals(75.0, deltas.latencyMs());
    }

    @Test
    void shouldClampErrorsToRequestsAndSkipALatencyWithoutRequests() {
        InstanceSignals.Counters before = new InstanceSignals.Counters(10.0, 1.0, 2.0, 10.0, 5.0);
        InstanceSignals.Deltas deltas =
                InstanceSignals.deltas(before, new InstanceSignals.Counters(12.0, 4.0, 2.0, 10.0, 5.0));
        assertEquals(2L, deltas.requests());
        assertEquals(2L, deltas.errors(), "three 5xx counted before their requests: clamped to two");
        assertNull(deltas.latencyMs(), "no request finished in the window");
        assertEquals(0, deltas.restarts());
        assertEquals(InstanceSignals.Deltas.NONE, InstanceSignals.deltas(null, before), "no base yet");
    }

    // --- helpers ---------------------------------------------------------------------------------------------------

    private static String scrape(long requests, long errors, double durationSum, long durationCount, long started) {
        // Two label sets per counter, as an instrumented server exposes them.
        return "# TYPE http_server_requests_total counter\n"
                + "http_server_requests_total{status=\"200\"} " + (requests - errors) + "\n"
                + "http_server_requests_total{status=\"503\"} " + errors + "\n"
                + "# TYPE http_server_errors_total counter\n"
                + "http_server_errors_total{status=\"503\"} " + errors + "\n"
                + "http_server_request_duration_seconds_sum " + durationSum + "\n"
                + "http_server_request_duration_seconds_count " + durationCount + "\n"
                + "process_start_time_seconds " + (double) started + "\n";
    }

    private List<FakeServer.Request> samples() {
        return cell.requests(InstanceSignals.SIGNALS_PATH);
    }

    private List<String> spooled() throws IOException {
        try (Stream<Path> files = Files.list(spool)) {
            return files.sorted()
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    private static String keyOf(String spooledFile) {
        Matcher matcher = Pattern.compile("(?m)^(signal-\\S+)$").matcher(spooledFile);
        return matcher.find() ? matcher.group(1) : null;
    }

    private void checks(InstanceWatch watch, int count) {
        for (int i = 0; i < count; i++) {
            watch.check();
            clock.advance(INTERVAL);
        }
    }

    private Map<String, String> environment() {
        return Map.of(
                "SIDECAR_INSTANCE_ID",
                "i-0001",
                "SIDECAR_HEALTH_URL",
                instance.url() + HEALTH,
                "SIDECAR_PROMETHEUS_URL",
                instance.url() + METRICS,
                "SIDECAR_ANDON_URL",
                cell.url().toString(),
                "SIDECAR_METRICS_URL",
                cell.url().toString(),
                "SIDECAR_TOKEN",
                "sidecar-token",
                "SIDECAR_INTERVAL",
                INTERVAL.toString());
    }
}
