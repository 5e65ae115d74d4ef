package io.reefline.sidecar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InstanceWatchTest {

    private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    /** Time moves only when the test says so. */
    static final class TestClock extends Clock {
        private Instant now = START;

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    private FakeServer instance;
    private FakeServer andon;
    private FakeServer metrics;
    private final TestClock clock = new TestClock();

    @BeforeEach
    void startServers() throws Exception {
        instance = new FakeServer();
        andon = new FakeServer();
        metrics = new FakeServer();
        andon.answer(201, "{\"id\":1}");
        metrics.answer(202, "");
    }

    @AfterEach
    void stopServers() {
        instance.close();
        andon.close();
        metrics.close();
    }

    @Test
    void shouldPullOneCordWhenTheInstanceStaysUnhealthyAfterItsVersionChanged() {
        instance.answer(200, "{\"status\":\"UP\",\"version\":\"2026.11.2\"}");
        InstanceWatch watch = SidecarMain.create(config(Duration.ofMinutes(1)), clock);
        checks(watch, 3);

        // The upgrade: a new version that never becomes healthy.
        instance.answer(503, "{\"status\":\"DOWN\",\"version\":\"2026.11.3\"}");
        Instant brokenSince = clock.instant();
        checks(watch, 6);
        assertEquals(0, andon.requests("/api/cords").size(), "one minute is not yet longer than the threshold");
        checks(watch, 1);
        checks(watch, 20);

        List<FakeServer.Request> pulls = andon.requests("/api/cords");
        assertEquals(1, pulls.size(), "one pull per version");
        FakeServer.Request pull = pulls.get(0);
        assertEquals("Bearer sidecar-token", pull.authorization());
        assertTrue(pull.body().contains("\"scope\":\"release:2026.11.3\""), pull.body());
        assertTrue(pull.body().contains("\"category\":\"doesnt-look-right\""), pull.body());
        assertTrue(pull.body().contains("\"severity\":\"SEV-2\""), pull.body());
        assertTrue(pull.body().contains("unhealthy since " + brokenSince), pull.body());
        assertTrue(pull.body().contains("503, 503, 503, 503, 503"), pull.body());
        // The pull's key is the instance's and the version's, so a resend (or a restarted sidecar) opens no second
        // cord.
        assertEquals(InstanceWatch.pullKey("acme-prod", "2026.11.3"), pull.idempotencyKey());
        assertTrue(pull.idempotencyKey().matches("sidecar-[0-9a-f]{40}"), pull.idempotencyKey());
    }

    @Test
    void shouldResendARefusedPullWithTheSameIdempotencyKey() {
        instance.answer(200, "{\"status\":\"UP\",\"version\":\"2026.11.2\"}");
        InstanceWatch watch = SidecarMain.create(config(Duration.ofMinutes(1)), clock);
        checks(watch, 3);
        instance.answer(503, "{\"status\":\"DOWN\",\"version\":\"2026.11.3\"}");
        andon.failNext(2);
        checks(watch, 40);

        List<FakeServer.Request> attempts = andon.requests("/api/cords");
        assertEquals(3, attempts.size(), "two refused attempts, then the one that arrived");
        assertEquals(
                List.of(InstanceWatch.pullKey("acme-prod", "2026.11.3")),
                attempts.stream()
                        .map(FakeServer.Request::idempotencyKey)
                        .distinct()
                        .toList());
    }

    @Test
    void shouldNotPullForAnOutageLongAfterTheVersionChanged() {
        instance.answer(200, "{\"version\":\"2026.11.2\"}");
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", "PT1M");
        env.put("SIDECAR_VERSION_URL", instance.url() + "/version");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        checks(watch, 1);
        clock.advance(Duration.ofHours(3));
        instance.answer(500, "{\"version\":\"2026.11.2\"}");
        checks(watch, 30);
        assertEquals(0, andon.requests("/api/cords").size());
    }

    @Test
    void shouldReportOneDownUpPairForAShortOutage() {
        instance.answer(200, "{\"version\":\"2026.11.2\"}");
        InstanceWatch watch = SidecarMain.create(config(Duration.ofMinutes(30)), clock);
        checks(watch, 3);
        instance.answer(503, "");
        Instant wentDown = clock.instant();
        checks(watch, 3);
        instance.answer(200, "{\"version\":\"2026.11.2\"}");
        Instant cameBack = clock.instant();
        checks(watch, 5);

        List<FakeServer.Request> events = metrics.requests("/api/events/downtime");
        assertEquals(1, events.size());
        String body = events.get(0).body();
        assertTrue(body.contains("\"instanceId\":\"acme-prod\""), body);
        assertTrue(body.contains("\"start\":\"" + wentDown + "\""), body);
        assertTrue(body.contains("\"end\":\"" + cameBack + "\""), body);
        assertTrue(body.contains("\"planned\":false"), body);
        assertTrue(body.contains("\"source\":\"sidecar\""), body);
        assertTrue(body.matches("\\{\"id\":\"[0-9a-f-]{36}\".*"), body);
        assertEquals(0, andon.requests("/api/cords").size(), "a short outage does not stop the line");
    }

    @Test
    void shouldSendItsPodsTokenFromTheFileAndReadItAgainWhenKubeletReplacesIt() throws Exception {
        Path file = Files.createTempFile("sidecar-pod-token", "");
        Files.writeString(file, "pod-token-1\n");
        Map<String, String> env = new HashMap<>(environment());
        env.remove("SIDECAR_TOKEN");
        env.put("SIDECAR_TOKEN_FILE", file.toString());
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", "PT30M");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        instance.answer(200, "{\"version\":\"2026.11.2\"}");
        checks(watch, 2);
        outage(watch);
        // Kubelet rotates the projected token: the next report carries the new one.
        Files.writeString(file, "pod-token-2\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
        outage(watch);

        List<FakeServer.Request> reports = metrics.requests("/api/events/downtime");
        assertEquals(2, reports.size());
        assertEquals("Bearer pod-token-1", reports.get(0).authorization());
        assertEquals("Bearer pod-token-2", reports.get(1).authorization());

        env.put("SIDECAR_TOKEN", "sidecar-token");
        assertThrows(IllegalArgumentException.class, () -> SidecarConfig.fromEnvironment(env), "not both");
        env.remove("SIDECAR_TOKEN");
        env.put("SIDECAR_TOKEN_FILE", file.resolveSibling("no-such-token").toString());
        assertThrows(IllegalArgumentException.class, () -> SidecarConfig.fromEnvironment(env), "a missing file");
    }

    private void outage(InstanceWatch watch) {
        instance.answer(503, "");
        checks(watch, 3);
        instance.answer(200, "{\"version\":\"2026.11.2\"}");
        checks(watch, 2);
    }

    @Test
    void shouldIgnoreASingleFailedCheckAndStartUp() {
        instance.answer(503, "");
        InstanceWatch watch = SidecarMain.create(config(Duration.ofMinutes(30)), clock);
        checks(watch, 4);
        instance.answer(200, "");
        checks(watch, 2);
        instance.failNext(1);
        checks(watch, 3);
        assertEquals(0, metrics.requests("/api/events/downtime").size());
    }

    @Test
    void shouldRetryADowntimeReportWithTheSameIdUntilMetricsAnswers() {
        instance.answer(200, "");
        InstanceWatch watch = SidecarMain.create(config(Duration.ofMinutes(30)), clock);
        checks(watch, 2);
        instance.answer(503, "");
        checks(watch, 2);
        metrics.failNext(3);
        instance.answer(200, "");
        checks(watch, 12);

        List<FakeServer.Request> attempts = metrics.requests("/api/events/downtime");
        assertEquals(4, attempts.size(), "three refused attempts, then the one that arrived");
        assertEquals(
                1, attempts.stream().map(FakeServer.Request::body).distinct().count(), "the same event each time");
    }

    @Test
    void shouldPullForTheFixedVersionWhenTheNewPodNeverBecomesHealthy() {
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_VERSION", "2026.12.1");
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", "PT2M");
        instance.answer(503, "");
        InstanceWatch watch = SidecarMain.create(SidecarConfig.fromEnvironment(env), clock);
        checks(watch, 30);
        assertEquals(1, andon.requests("/api/cords").size());
        assertTrue(andon.requests("/api/cords").get(0).body().contains("\"scope\":\"release:2026.12.1\""));
        assertEquals(0, metrics.requests("/api/events/downtime").size(), "start-up is not an outage");
    }

    @Test
    void shouldNameTheMissingVariable() {
        Map<String, String> env = new HashMap<>(environment());
        env.remove("SIDECAR_HEALTH_URL");
        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> SidecarConfig.fromEnvironment(env));
        assertEquals("SIDECAR_HEALTH_URL is required", missing.getMessage());
        env.putAll(environment());
        env.put("SIDECAR_INTERVAL", "10 seconds");
        assertThrows(IllegalArgumentException.class, () -> SidecarConfig.fromEnvironment(env));
        env.put("SIDECAR_INTERVAL", "PT10S");
        SidecarConfig config = SidecarConfig.fromEnvironment(env);
        assertEquals(Optional.of("sidecar-token"), config.token());
        assertEquals("SEV-2", config.severity());
        assertEquals(Duration.ofMinutes(5), config.unhealthyThreshold());
    }

    private void checks(InstanceWatch watch, int count) {
        for (int i = 0; i < count; i++) {
            watch.check();
            clock.advance(INTERVAL);
        }
    }

    private SidecarConfig config(Duration unhealthyThreshold) {
        Map<String, String> env = new HashMap<>(environment());
        env.put("SIDECAR_UNHEALTHY_THRESHOLD", unhealthyThreshold.toString());
        return SidecarConfig.fromEnvironment(env);
    }

    private Map<String, String> environment() {
        return Map.of(
                "SIDECAR_INSTANCE_ID",
                "acme-prod",
                "SIDECAR_HEALTH_URL",
                instance.url() + "/q/health/ready",
                "SIDECAR_ANDON_URL",
                andon.url().toString(),
                "SIDECAR_METRICS_URL",
                metrics.url().toString(),
                "SIDECAR_TOKEN",
                "sidecar-token",
                "SIDECAR_INTERVAL",
                INTERVAL.toString());
    }
}
