package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.agroal.api.AgroalDataSource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.client.AndonGate;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.InstanceEntity;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.upgrade.HealthCheck;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import io.reefline.rollout.upgrade.UpgradeSettings;
import io.reefline.rollout.upgrade.reconcile.HealthProbe;
import io.reefline.rollout.upgrade.reconcile.TickReport;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade scheduler against the mock Kubernetes API, embedded PostgreSQL and the test clock. The test plays the
 * Deployment controller ({@link TestFleet#rollOut}) and ticks by hand.
 *
 * <p>Fleet: one staff instance (windows do not apply to its ring), one canary, three stable instances; every window
 * is {@code Daily 09:00-12:00} UTC and the clock starts on a Monday at 08:00. Policy: soaks of 30 minutes after staff
 * and canary, one upgrade at a time per reef; checks soak for 5 minutes.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class UpgradeSchedulerTest {

    static final String POLICY = """
            {"rings":[
              {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT30M","deadline":"P1D","windowsApply":false},
              {"name":"Canary","selector":{"type":"explicit","instanceIds":["up-c1"]},"soak":"PT30M","deadline":"P2D"},
              {"name":"Stable","selector":{"type":"remainder"},"soak":"PT0S","deadline":"P7D"}],
             "inFlightLimitPerReef":1,"expectedUpgrade":"PT10M","canaryRotation":0}
            """;

    static final String OLD = "registry.reefline.local/product:2026.3.0";
    static final String NEW = "registry.reefline.local/product:2026.3.1";
    static final List<String> STABLE = List.of("up-s1", "up-s2", "up-s3");

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    UpgradeScheduler scheduler;

    @Inject
    UpgradeLeadership leadership;

    @Inject
    UpgradeSettings settings;

    @Inject
    TestClock clock;

    @Inject
    FakeAndon andon;

    @Inject
    AndonGate gate;

    @Inject
    HealthCheck healthCheck;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void fleet() {
        TestFleet.clear(client);
        TestFleet.policy(POLICY);
        TestFleet.create(client, TestFleet.instance("up-staff", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        TestFleet.create(client, TestFleet.instance("up-c1", "Daily 09:00-12:00", true, null, "2026.3.0"));
        for (String id : STABLE) {
            TestFleet.create(client, TestFleet.instance(id, "Daily 09:00-12:00", true, null, "2026.3.0"));
        }
        inventory.refreshAll();
    }

    @AfterEach
    void restore() {
        clock.reset();
        andon.open(true);
        andon.start();
        leadership.release();
        // A test that stopped andon-service opened the gate client's circuit breaker; the next test starts behind a
        // gate that answers again.
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .until(() -> gate.ask("2026.3.1", "local", "staff").open());
    }

    /** Registers the release {@code image}'s tag names (a release's image tag must name its version). */
    private static void register(String image) {
        String version = image.substring(image.lastIndexOf(':') + 1);
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"image\":\"" + image
                        + "\",\"createdAt\":\"2026-03-02T07:30:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
    }

    /** Ticks every 2 minutes through the soak (3 checks over 5 minutes) and once at {@code time}. */
    private TickReport soakUntil(String time) {
        return soakUntil(Instant.parse("2026-03-02T" + time + ":00Z"));
    }

    private TickReport soakUntil(Instant end) {
        for (Instant at = clock.instant().plusSeconds(120); at.isBefore(end); at = at.plusSeconds(120)) {
            tickAt(at);
        }
        return tickAt(end);
    }

    private TickReport tickAt(String time) {
        return tickAt(Instant.parse("2026-03-02T" + time + ":00Z"));
    }

    private TickReport tickAt(Instant time) {
        clock.set(time);
        TickReport report = scheduler.tick();
        assertTrue(report.leader(), "the only replica leads");
        assertTrue(report.reefErrors().isEmpty(), () -> "reef errors: " + report.reefErrors());
        assertTrue(runningPerReef() <= 1, "in-flight limit of 1 per reef exceeded: " + upgrades());
        return report;
    }

    private static Map<String, UpgradeState> upgrades() {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>listAll().stream()
                        .filter(u -> u.state != UpgradeState.CANCELLED)
                        .collect(Collectors.toMap(u -> u.instanceId, u -> u.state)));
    }

    private static long runningPerReef() {
        return QuarkusTransaction.requiringNew()
                .call(
                        () -> UpgradeEntity.running().stream()
                                .collect(Collectors.groupingBy(u -> u.reef, Collectors.counting()))
                                .values()
                                .stream()
                                .mapToLong(Long::longValue)
                                .max()
                                .orElse(0));
    }

    private Map<String, String> images() {
        return TestFleetIds.ALL.stream()
                .collect(Collectors.toMap(Function.identity(), id -> TestFleet.image(client, id)));
    }

    private static List<OutboxMessage> outbox(String path) {
        return QuarkusTransaction.requiringNew().call(() -> OutboxMessage.<OutboxMessage>list("path", path));
    }

    /** The ids of the fleet above. */
    static final class TestFleetIds {
        static final List<String> ALL = List.of("up-staff", "up-c1", "up-s1", "up-s2", "up-s3");
    }

    @Test
    void upgradesInsideWindowsInRingOrderWithinTheInFlightLimit() {
        register(NEW);

        TickReport first = tickAt("08:00");
        assertEquals(1, first.started(), "staff ignores windows and starts at once");
        assertEquals(NEW, TestFleet.image(client, "up-staff"));
        assertEquals(OLD, TestFleet.image(client, "up-c1"), "canary waits for staff");

        tickAt("08:01");
        assertEquals(Map.of("up-staff", UpgradeState.STARTED), upgrades(), "not available yet: still started");

        TestFleet.rollOut(client, "up-staff");
        tickAt("08:02");
        assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"));
        soakUntil("08:07");
        assertEquals(Map.of("up-staff", UpgradeState.SUCCEEDED), upgrades(), "checks passed for the 5 minute soak");
        assertEquals(
                "2026.3.1",
                QuarkusTransaction.requiringNew()
                        .call(() -> InstanceEntity.<InstanceEntity>findById("up-staff").currentVersion));

        // Canary opens at 08:37 (staff done 08:07 + 30m soak), but its window opens at 09:00.
        assertEquals(0, tickAt("08:40").started(), "outside the canary's window");
        assertEquals(OLD, TestFleet.image(client, "up-c1"));
        assertEquals(1, tickAt("09:00").started(), "the window opened");
        assertEquals(NEW, TestFleet.image(client, "up-c1"));
        STABLE.forEach(id -> assertEquals(OLD, TestFleet.image(client, id), "stable waits for the canary ring"));

        TestFleet.rollOut(client, "up-c1");
        tickAt("09:01");
        soakUntil("09:06");
        assertEquals(UpgradeState.SUCCEEDED, upgrades().get("up-c1"));
        assertEquals(0, tickAt("09:30").started(), "canary soaks until 09:36");

        // Stable: one at a time in the one reef; the tick that sees one succeed starts the next.
        assertEquals(1, tickAt("09:36").started(), "stable opens after the canary's soak");
        for (int round = 0; round < STABLE.size(); round++) {
            String running = QuarkusTransaction.requiringNew()
                    .call(() -> UpgradeEntity.running().get(0).instanceId);
            assertEquals(
                    0, tickAt(clock.instant().plusSeconds(60)).started(), "the limit holds while " + running + " runs");
            TestFleet.rollOut(client, running);
            tickAt(clock.instant().plusSeconds(60)); // available
            TickReport soaked = soakUntil(clock.instant().plusSeconds(300));
            assertEquals(1, soaked.succeeded());
            assertEquals(UpgradeState.SUCCEEDED, upgrades().get(running));
            assertEquals(round < STABLE.size() - 1 ? 1 : 0, soaked.started(), "the next one takes the free slot");
        }
        assertEquals(Map.of("up-staff", NEW, "up-c1", NEW, "up-s1", NEW, "up-s2", NEW, "up-s3", NEW), images());
        assertEquals(5, outbox("/api/events/deployments").size(), "one deployment event per upgrade");
        assertEquals(5, outbox("/api/events/downtime").size(), "each upgrade's time as planned downtime");
        assertTrue(outbox("/api/events/downtime").stream().allMatch(m -> m.payload.contains("\"planned\":true")));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1")
                .then()
                .statusCode(200)
                .body("rings.progress", org.hamcrest.Matchers.contains("1/1", "1/1", "3/3"));
        String metrics = given().when().get("/q/metrics").asString();
        assertTrue(metrics.contains("reefline_upgrades_total{outcome=\"succeeded\"}"), "Prometheus counter");
    }

    /**
     * The soak is 5 minutes with 3 checks needed; the service was away for half an hour after the first check. One
     * passing check after the gap does not make a soak: the upgrade succeeds only on the third spread pass.
     */
    @Test
    void oneLuckyCheckAfterAGapIsNotASoak() {
        register(NEW);
        tickAt("08:00");
        TestFleet.rollOut(client, "up-staff");
        tickAt("08:02");
        assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"), "available; first check passed");
        TickReport afterGap = tickAt("08:30");
        assertEquals(0, afterGap.succeeded(), "two passing checks are not three, however long ago the first");
        assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"));
        tickAt("08:31");
        assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"), "a pass sooner than soak/3 is not counted");
        TickReport third = tickAt("08:32");
        assertEquals(1, third.succeeded(), "the third spread pass completes the soak");
        UpgradeEntity done = QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", "up-staff")
                        .firstResult());
        assertEquals(3, done.checksPassed);
        assertEquals(4, done.checksRun);
    }

    @Test
    void firstUpgradeOfAReleaseRunsAloneUntilItSucceeds() {
        TestFleet.policy(POLICY.replace("\"inFlightLimitPerReef\":1", "\"inFlightLimitPerReef\":2"));
        TestFleet.create(client, TestFleet.instance("up-staff2", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        inventory.refreshAll();
        register(NEW);
        TickReport first = tickAt("08:00");
        assertEquals(1, first.started(), "two staff instances may start, the pilot starts alone");
        assertTrue(first.held().toString().contains("runs alone"), first.held().toString());
        assertEquals(NEW, TestFleet.image(client, "up-staff"));
        assertEquals(OLD, TestFleet.image(client, "up-staff2"));
        assertEquals(0, tickAt("08:01").started());
        TestFleet.rollOut(client, "up-staff");
        tickAt("08:02");
        TickReport soaked = soakUntil("08:07");
        assertEquals(1, soaked.succeeded());
        assertEquals(1, soaked.started(), "after the first success the ring goes on");
        assertEquals(NEW, TestFleet.image(client, "up-staff2"));
    }

    @Test
    void theNewestVersionIsDrivenEvenWhenAnOlderOneIsRegisteredLater() {
        String newer = "registry.reefline.local/product:2026.3.2";
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.3.2\",\"image\":\"" + newer + "\",\"createdAt\":\"2026-03-02T07:00:00Z\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
        register(NEW); // 2026.3.1, registered after 2026.3.2
        assertEquals(1, tickAt("08:00").started());
        assertEquals(newer, TestFleet.image(client, "up-staff"), "never the older release");
        assertEquals(
                "2026.3.2",
                QuarkusTransaction.requiringNew()
                        .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", "up-staff")
                                .singleResult()
                                .releaseVersion));
    }

    @Test
    void pulledCordStopsStartsWithinOneTickAndResolvingResumes() {
        register(NEW);
        andon.open(false);
        TickReport closed = tickAt("08:00");
        assertEquals(0, closed.started());
        assertTrue(
                closed.held().toString().contains("andon gate closed"),
                closed.held().toString());
        assertTrue(
                andon.lastQuery().contains("reef=") && andon.lastQuery().contains("ring=staff"),
                "the gate is asked for release, reef and ring: " + andon.lastQuery());
        assertEquals(OLD, TestFleet.image(client, "up-staff"));

        andon.open(true);
        assertEquals(1, tickAt("08:01").started(), "resolved: the next tick starts");
        assertEquals(NEW, TestFleet.image(client, "up-staff"));
    }

    @Test
    void andonUnreachableMeansZeroUpgrades() {
        register(NEW);
        andon.stop();
        for (String time : List.of("08:00", "09:00", "10:00")) {
            TickReport report = tickAt(time);
            assertEquals(0, report.started());
            assertTrue(
                    report.held().toString().contains("failing safe"),
                    report.held().toString());
        }
        assertTrue(upgrades().isEmpty());
        assertEquals(OLD, TestFleet.image(client, "up-staff"));
    }

    @Test
    void brokenImageIsRestoredPullsTheCordAndTouchesNoOtherInstance() {
        String broken = "registry.reefline.local/product:2026.3.1-broken";
        register(broken);
        assertEquals(1, tickAt("08:00").started());
        assertEquals(broken, TestFleet.image(client, "up-staff"));

        TestFleet.exceedProgressDeadline(client, "up-staff");
        TickReport failed = tickAt("08:03");
        assertEquals(1, failed.failed());
        assertEquals(1, failed.restored());
        assertEquals(OLD, TestFleet.image(client, "up-staff"), "previous image restored");
        UpgradeEntity upgrade = QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", "up-staff")
                        .singleResult());
        assertEquals(UpgradeState.RESTORED, upgrade.state);
        assertTrue(upgrade.reason.contains("ProgressDeadlineExceeded"), upgrade.reason);

        List<OutboxMessage> cords = outbox("/api/cords");
        assertEquals(1, cords.size(), "one cord pulled");
        assertEquals("andon", cords.get(0).destination);
        assertTrue(cords.get(0).payload.contains("\"scope\":\"release:2026.3.1-broken\""), cords.get(0).payload);
        assertTrue(cords.get(0).payload.contains("\"severity\":\"SEV-2\""), cords.get(0).payload);
        assertTrue(cords.get(0).payload.contains("ProgressDeadlineExceeded"), "evidence: " + cords.get(0).payload);
        assertTrue(outbox("/api/events/deployments").get(0).payload.contains("\"success\":false"));

        // Until andon-service has the cord the release holds here; once it has it, its gate is closed.
        for (String time : List.of("09:00", "09:40", "10:30")) {
            TickReport held = tickAt(time);
            assertEquals(0, held.started());
            assertFalse(held.held().isEmpty());
        }
        QuarkusTransaction.requiringNew().run(() -> OutboxMessage.update("deliveredAt = ?1", Instant.now()));
        andon.open(false);
        assertEquals(0, tickAt("10:40").started());
        TestFleetIds.ALL.forEach(id -> assertEquals(OLD, TestFleet.image(client, id), id + " untouched"));
        assertEquals(Map.of("up-staff", UpgradeState.RESTORED), upgrades());

        // Someone resolves the cord without a fix: the failed staff ring still holds every later ring.
        andon.open(true);
        assertEquals(0, tickAt("11:00").started(), "the canary ring never opens behind a failed upgrade");
        TestFleetIds.ALL.forEach(id -> assertEquals(OLD, TestFleet.image(client, id), id + " untouched"));
        JsonPath plan = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/releases/2026.3.1-broken/plan")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("upgrade-failed", plan.getString("instances.find { it.instanceId == 'up-staff' }.reason"));
        assertEquals(null, plan.getString("rings[1].opensAt"), "canary does not open");
    }

    @Test
    void failingHealthCheckFailsTheUpgradeAfterThreeChecks() throws Exception {
        HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        health.createContext("/health", exchange -> {
            byte[] body =
                    "{\"status\":\"DOWN\",\"error\":\"<script>alert(1)</script>\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        health.start();
        try {
            client.apps()
                    .deployments()
                    .inNamespace(TestFleet.NAMESPACE)
                    .withName("up-staff")
                    .edit(d -> {
                        d.getMetadata()
                                .getAnnotations()
                                .put(
                                        "reefline.io/health-url",
                                        "http://127.0.0.1:"
                                                + health.getAddress().getPort() + "/health");
                        return d;
                    });
            register(NEW);
            tickAt("08:00");
            TestFleet.rollOut(client, "up-staff");
            tickAt("08:01");
            assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"), "first failed check");
            tickAt("08:02");
            assertEquals(UpgradeState.VERIFYING, upgrades().get("up-staff"), "second failed check");
            TickReport third = tickAt("08:03");
            assertEquals(1, third.failed());
            assertEquals(UpgradeState.RESTORED, upgrades().get("up-staff"));
            assertEquals(OLD, TestFleet.image(client, "up-staff"));
            String reason = QuarkusTransaction.requiringNew()
                    .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", "up-staff")
                            .singleResult()
                            .reason);
            assertTrue(reason.contains("503"), reason);
            // What the instance answered is shown as text on the pages, never as markup.
            String page = given().cookie("reefline_token", TestTokens.viewer())
                    .get("/ui/instances/up-staff")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString();
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "escaped on the page");
            assertFalse(page.contains("<script>alert(1)"), "never as markup");
        } finally {
            health.stop(0);
        }
    }

    @Test
    void healthUrlOfARefusedDestinationIsAFailedCheckAndNeverFetched() throws Exception {
        AtomicInteger fetched = new AtomicInteger();
        // 127.0.0.2 is this machine too, but the test profile reaches only 127.0.0.1: refused as by default.
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 0);
        internal.createContext("/", exchange -> {
            fetched.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        internal.start();
        try {
            HealthProbe.Result loopback = healthCheck.check(
                    "http://127.0.0.2:" + internal.getAddress().getPort() + "/admin", NEW);
            HealthProbe.Result metadata = healthCheck.check("http://169.254.169.254/latest/meta-data/", NEW);

            assertFalse(loopback.passed());
            assertTrue(loopback.detail().contains("not sent: the destination is refused"), loopback.detail());
            assertTrue(loopback.detail().contains("loopback"), loopback.detail());
            assertFalse(metadata.passed());
            assertTrue(metadata.detail().contains("cloud metadata endpoint"), metadata.detail());
            assertEquals(0, fetched.get(), "nothing was fetched");
        } finally {
            internal.stop(0);
        }
    }

    @Test
    void oversizedHealthAnswerIsReadOnlyUpToItsLimitAndFailsTheCheck() throws Exception {
        AtomicLong sent = new AtomicLong();
        HttpServer huge = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        huge.createContext("/health", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = ("{\"status\":\"UP\"}" + " ".repeat(8176)).getBytes(StandardCharsets.UTF_8);
            try (var out = exchange.getResponseBody()) {
                for (int i = 0; i < 4096; i++) {
                    out.write(chunk);
                    sent.addAndGet(chunk.length);
                }
            } catch (IOException readerHungUp) {
                // the check stopped reading at its limit
            }
        });
        huge.start();
        try {
            HealthProbe.Result result =
                    healthCheck.check("http://127.0.0.1:" + huge.getAddress().getPort() + "/health", NEW);

            assertFalse(result.passed());
            assertTrue(
                    result.detail().endsWith("answered 200 with more than " + settings.healthBodyLimit() + " bytes"),
                    result.detail());
            Thread.sleep(200);
            assertTrue(sent.get() < 16L * 1024 * 1024, "the rest of the 32 MB answer was never read: " + sent.get());
        } finally {
            huge.stop(0);
        }
    }

    @Test
    void upgradeInterruptedByAStopIsFinishedNotRepeated() {
        register(NEW);
        clock.set(Instant.parse("2026-03-02T09:00:00Z"));
        // A replica planned two upgrades and stopped: one after its patch went out, one before.
        QuarkusTransaction.requiringNew().run(() -> {
            planned("up-staff");
            planned("up-c1");
        });
        client.apps()
                .deployments()
                .inNamespace(TestFleet.NAMESPACE)
                .withName("up-staff")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(NEW);
                    return d;
                });
        long staffGeneration =
                TestFleet.deployment(client, "up-staff").getMetadata().getGeneration();

        TickReport after = scheduler.tick();
        assertEquals(2, after.started(), "both recorded as started");
        assertEquals(
                staffGeneration,
                TestFleet.deployment(client, "up-staff").getMetadata().getGeneration(),
                "the patch that already went out is not sent again");
        assertEquals(NEW, TestFleet.image(client, "up-c1"), "the patch that never went out is sent now");
        assertEquals(Map.of("up-staff", UpgradeState.STARTED, "up-c1", UpgradeState.STARTED), upgrades());

        // A third stop: the failure was recorded, the restore not sent.
        QuarkusTransaction.requiringNew()
                .run(() -> UpgradeEntity.update(
                        "state = ?1, failedAt = ?2, reason = 'test' where instanceId = 'up-c1'",
                        UpgradeState.FAILED,
                        clock.instant()));
        clock.set(Instant.parse("2026-03-02T09:01:00Z"));
        TickReport restored = scheduler.tick();
        assertEquals(1, restored.restored());
        assertEquals(OLD, TestFleet.image(client, "up-c1"));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> UpgradeEntity.count("instanceId", "up-c1")));
    }

    @Test
    void plannedUpgradeIsCancelledWhenTheGateClosedBeforeItsPatch() {
        register(NEW);
        QuarkusTransaction.requiringNew().run(() -> planned("up-staff"));
        andon.open(false);
        TickReport report = tickAt("08:01");
        assertEquals(1, report.cancelled());
        assertEquals(OLD, TestFleet.image(client, "up-staff"), "never patched");
        andon.open(true);
        assertEquals(1, tickAt("08:02").started(), "planned again once the gate opens");
        assertEquals(NEW, TestFleet.image(client, "up-staff"));
    }

    @Test
    void onlyTheReplicaHoldingTheLockActsAndAnotherTakesOverWhenItStops() throws Exception {
        register(NEW);
        // Another replica is another database session asking for the same lock.
        UpgradeLeadership otherReplica = new UpgradeLeadership(dataSource::getConnection, settings.leaderLock());
        try {
            assertTrue(otherReplica.acquire().isPresent(), "the other replica got there first");
            clock.set(Instant.parse("2026-03-02T08:00:00Z"));
            TickReport follower = scheduler.tick();
            assertFalse(follower.leader());
            assertEquals(0, follower.started());
            assertEquals(OLD, TestFleet.image(client, "up-staff"), "a follower does nothing");
            given().auth()
                    .oauth2(TestTokens.viewer())
                    .when()
                    .get("/api/upgrades/scheduler")
                    .then()
                    .statusCode(200)
                    .body("leader", equalTo(false));

            otherReplica.release(); // it stops
            TickReport takeover = scheduler.tick();
            assertTrue(takeover.leader());
            assertEquals(1, takeover.started());
            assertFalse(otherReplica.acquire().isPresent(), "now this replica holds the lock");
        } finally {
            otherReplica.release();
        }
    }

    @Test
    void upgradesApiListsAndRejectsUnknownStates() {
        register(NEW);
        tickAt("08:00");
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/upgrades?release=2026.3.1")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].instanceId", equalTo("up-staff"))
                .body("items[0].state", equalTo("started"))
                .body("items[0].previousImage", equalTo(OLD));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/upgrades?state=exploded")
                .then()
                .statusCode(400)
                .contentType("application/problem+json");
    }

    private void planned(String id) {
        UpgradeEntity upgrade = new UpgradeEntity();
        upgrade.instanceId = id;
        upgrade.reef = QuarkusTransaction.requiringNew().call(() -> InstanceEntity.<InstanceEntity>findById(id).reef);
        upgrade.releaseVersion = "2026.3.1";
        upgrade.ring = id.equals("up-staff") ? "Staff" : "Canary";
        upgrade.targetImage = NEW;
        upgrade.previousImage = OLD;
        upgrade.state = UpgradeState.PLANNED;
        upgrade.plannedAt = clock.instant();
        upgrade.persist();
        assertNotNull(upgrade.id);
    }
}
