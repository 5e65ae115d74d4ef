package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.FreezeEntity;
import io.reefline.rollout.persistence.InstanceEntity;
import io.reefline.rollout.persistence.ReleaseEntity;
import io.reefline.rollout.persistence.RingPolicyEntity;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import io.reefline.rollout.upgrade.reconcile.TickReport;
import io.reefline.sandbox.SandboxReef;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One reef down never stops the others. Two sandbox reefs (a simulated kubelet rolls new images out, the instances
 * answer health checks with the image they serve) and a third reef whose API never answers, holding an upgrade that
 * was running when it went away. A release goes through both sandbox reefs to the end while the broken reef waits out
 * its backoff, is retried, and is shown as backing off; rollout-service stays ready all along, and its health details,
 * metrics, reefs API and board name the reef that is down.
 */
@QuarkusTest
@WithTestResource(SandboxReefsResource.class)
class ReefFaultsTest {

    static final String POLICY = """
            {"rings":[
              {"name":"Staff","selector":{"type":"pinned","pin":"staff"},"soak":"PT0S","deadline":"P1D","windowsApply":false},
              {"name":"Rest","selector":{"type":"remainder"},"soak":"PT0S","deadline":"P1D","windowsApply":false},
              {"name":"Laggards","selector":{"type":"pinned","pin":"laggard"},"soak":"PT0S","deadline":"P1D","windowsApply":false}],
             "inFlightLimitPerReef":2,"expectedUpgrade":"PT1M","canaryRotation":0}
            """;

    static final String NEW = "registry.reefline.local/product:2026.11.1";

    @Inject
    InventoryService inventory;

    @Inject
    UpgradeScheduler scheduler;

    @Inject
    UpgradeLeadership leadership;

    @Inject
    TestClock clock;

    @AfterEach
    void reset() {
        clock.reset();
        leadership.release();
    }

    @Test
    void aReefThatDoesNotAnswerBacksOffWhileTheOthersFinishTheRelease() throws Exception {
        QuarkusTransaction.requiringNew().run(() -> {
            UpgradeEntity.deleteAll();
            InstanceEntity.deleteAll();
            ReleaseEntity.deleteAll();
            FreezeEntity.deleteAll();
            RingPolicyEntity.deleteAll();
            OutboxMessage.deleteAll();
        });
        TestFleet.policy(POLICY);
        List<InventoryService.RefreshOutcome> refreshed = inventory.refreshAll();
        assertTrue(
                refreshed.stream().anyMatch(o -> o.reef().equals(SandboxReefsResource.DOWN) && o.error() != null),
                refreshed.toString());
        // An upgrade was running in the broken reef when its API went away.
        Instant start = Instant.parse("2026-03-02T08:00:00Z");
        QuarkusTransaction.requiringNew().run(() -> {
            UpgradeEntity stranded = new UpgradeEntity();
            stranded.instanceId = "i-down-001";
            stranded.reef = SandboxReefsResource.DOWN;
            stranded.releaseVersion = "2026.11.0";
            stranded.ring = "Rest";
            stranded.targetImage = "registry.reefline.local/product:2026.11.0";
            stranded.previousImage = "registry.reefline.local/product:2026.10.9";
            stranded.state = UpgradeState.STARTED;
            stranded.plannedAt = start;
            stranded.startedAt = start;
            stranded.persist();
        });
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.11.1\",\"image\":\"" + NEW + "\",\"createdAt\":\"2026-03-02T07:30:00Z\","
                        + "\"ignoreWindows\":true,\"ignoreWindowsReason\":\"reef fault test\"}")
                .when()
                .post("/api/releases")
                .then()
                .statusCode(201);
        Set<String> planned = QuarkusTransaction.requiringNew()
                .call(() -> InstanceEntity.<InstanceEntity>list("valid", true).stream()
                        .map(i -> i.id)
                        .collect(Collectors.toSet()));
        assertTrue(planned.size() >= 6, "most of 2 reefs x 6 instances can be planned: " + planned + " " + refreshed);

        List<TickReport> ticks = new ArrayList<>();
        Instant now = start;
        for (int i = 0; i < 60 && succeeded() < planned.size(); i++) {
            clock.set(now);
            ticks.add(scheduler.tick());
            Thread.sleep(400); // the kubelet rolls out in 150 ms
            now = now.plusSeconds(360); // past the 5 minute soak of the checks
        }
        assertTrue(allOnNew(planned), () -> "not every instance of the working reefs was upgraded: " + images());
        assertTrue(
                ticks.stream()
                        .allMatch(t -> t.reefErrors().stream().allMatch(e -> e.startsWith(SandboxReefsResource.DOWN))),
                "only the broken reef fails");
        assertTrue(ticks.get(0).reefErrors().size() == 1, ticks.get(0).toString());
        assertEquals(planned.size(), succeeded(), "each upgraded once, and succeeded");
        UpgradeEntity stranded = QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", "i-down-001")
                        .singleResult());
        assertEquals(UpgradeState.STARTED, stranded.state, "waits for its reef, neither failed nor forgotten");

        JsonPath reefs = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/reefs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                "backing off",
                reefs.getString("find { it.name == '" + SandboxReefsResource.DOWN + "' }.upgrades.state"));
        assertTrue(
                reefs.getInt("find { it.name == '" + SandboxReefsResource.DOWN + "' }.upgrades.failures") > 1,
                "retried after its backoff");
        for (SandboxReef reef : SandboxReefsResource.sandbox.reefs()) {
            assertEquals("ok", reefs.getString("find { it.name == '" + reef.name() + "' }.upgrades.state"));
        }
        // The reef being down never makes the service unready: readiness names it, and so do the metrics and the page.
        String down = SandboxReefsResource.DOWN;
        assertEquals("unreachable", reefs.getString("find { it.name == '" + down + "' }.state"));
        assertNotNull(reefs.getString("find { it.name == '" + down + "' }.unreachableSince"), "since when");
        assertNull(reefs.getString("find { it.name == '" + down + "' }.lastContact"), "never answered");
        for (SandboxReef reef : SandboxReefsResource.sandbox.reefs()) {
            assertEquals("reachable", reefs.getString("find { it.name == '" + reef.name() + "' }.state"));
            assertNotNull(reefs.getString("find { it.name == '" + reef.name() + "' }.lastContact"));
        }
        JsonPath readiness = given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("UP", readiness.getString("status"), readiness.prettify());
        assertEquals("UP", readiness.getString("checks.find { it.name == 'Reefs' }.status"));
        String detail = readiness.getString("checks.find { it.name == 'Reefs' }.data.'" + down + "'");
        assertTrue(detail.startsWith("unreachable since "), detail);
        assertEquals(
                "never", readiness.getString("checks.find { it.name == 'Reefs' }.data.'" + down + " last contact'"));
        assertTrue(
                readiness
                        .getString("checks.find { it.name == 'Reefs' }.data.'" + down + " upgrades'")
                        .startsWith("backing off after "),
                readiness.prettify());
        assertEquals(1, readiness.getInt("checks.find { it.name == 'Reefs' }.data.'unreachable reefs'"));

        String metrics = given().when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(metric(metrics, "reefline_reef_reachable", down, "0.0"), metrics);
        assertTrue(metric(metrics, "reefline_reef_contact_age_seconds", down, null), metrics);
        assertTrue(metric(metrics, "reefline_reef_upgrade_failures", down, null), metrics);
        for (SandboxReef reef : SandboxReefsResource.sandbox.reefs()) {
            assertTrue(metric(metrics, "reefline_reef_reachable", reef.name(), "1.0"), metrics);
            assertTrue(metric(metrics, "reefline_reef_upgrade_failures", reef.name(), "0.0"), metrics);
        }

        String board = given().cookie("reefline_token", TestTokens.viewer())
                .when()
                .get("/ui/releases")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertTrue(board.contains("id=\"reef-" + down + "\" data-state=\"unreachable\""), board);
        assertTrue(board.contains("class=\"reef-unreachable\" data-reef=\"" + down + "\""), board);
        for (SandboxReef reef : SandboxReefsResource.sandbox.reefs()) {
            assertTrue(board.contains("id=\"reef-" + reef.name() + "\" data-state=\"reachable\""), board);
        }
    }

    /** Whether the Prometheus text has {@code name} for {@code reef}, with {@code value} unless it is null. */
    private static boolean metric(String metrics, String name, String reef, String value) {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "(?m)^" + name + "\\{[^}]*reef=\"" + java.util.regex.Pattern.quote(reef) + "\"[^}]*\\} (\\S+)$");
        java.util.regex.Matcher found = line.matcher(metrics);
        return found.find() && (value == null || value.equals(found.group(1)));
    }

    private static long succeeded() {
        return QuarkusTransaction.requiringNew()
                .call(() ->
                        UpgradeEntity.count("releaseVersion = ?1 and state = ?2", "2026.11.1", UpgradeState.SUCCEEDED));
    }

    private static boolean allOnNew(Set<String> ids) {
        return images().entrySet().stream()
                .filter(e -> ids.contains(e.getKey()))
                .allMatch(e -> NEW.equals(e.getValue()));
    }

    private static java.util.Map<String, String> images() {
        java.util.Map<String, String> images = new java.util.TreeMap<>();
        for (SandboxReef reef : SandboxReefsResource.sandbox.reefs()) {
            for (Deployment d : reef.client()
                    .apps()
                    .deployments()
                    .inNamespace("instances")
                    .list()
                    .getItems()) {
                images.put(
                        d.getMetadata().getLabels().get("reefline.io/instance"),
                        d.getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(0)
                                .getImage());
            }
        }
        return images;
    }
}
