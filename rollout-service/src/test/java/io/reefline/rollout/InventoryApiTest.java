package io.reefline.rollout;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.rollout.kubernetes.InventoryWatch;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.service.InventoryService.RefreshOutcome;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithKubernetesTestServer(crud = true)
class InventoryApiTest {

    @Inject
    KubernetesClient client;

    @Inject
    InventoryService inventory;

    @Inject
    InventoryWatch watch;

    @BeforeEach
    void emptyFleet() {
        TestFleet.clear(client);
    }

    @Test
    void shouldListMalformedInstanceWithItsErrorAndKeepDiscovering() {
        TestFleet.create(client, TestFleet.instance("inv-staff", "Daily 09:00-12:00", true, "staff", "2026.3.0"));
        TestFleet.create(
                client, TestFleet.instance("inv-a", "Mon-Fri 22:00-02:00 Europe/London", true, null, "2026.3.0"));
        TestFleet.create(client, TestFleet.instance("inv-broken", "Someday 25:00-99:00", true, null, "2026.3.0"));
        TestFleet.create(client, TestFleet.instance("inv-z", "Sat,Sun 01:00-03:00", false, "laggard", "2026.2.1"));

        RefreshOutcome outcome = inventory.refreshAll().get(0);

        assertEquals(4, outcome.seen());
        assertEquals(1, outcome.invalid());
        assertNull(outcome.error());
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?reef=local")
                .then()
                .statusCode(200)
                .body("total", equalTo(4))
                .body("items.id", contains("inv-a", "inv-broken", "inv-staff", "inv-z"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?invalid=true")
                .then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].id", equalTo("inv-broken"))
                .body("items[0].valid", equalTo(false))
                .body("items[0].window", equalTo("Someday 25:00-99:00"))
                .body("items[0].errors[0]", containsString("reefline.io/maintenance-window 'Someday 25:00-99:00'"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?ring=laggard")
                .then()
                .body("items.id", contains("inv-z"))
                .body("items[0].currentVersion", equalTo("2026.2.1"))
                .body("items[0].active", equalTo(false));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?version=2026.3.0&active=true&invalid=false&page=0&size=1")
                .then()
                .body("total", equalTo(2))
                .body("size", equalTo(1))
                .body("items", hasSize(1))
                .body("items[0].id", equalTo("inv-a"))
                .body("items[0].window", equalTo("Mon-Fri 22:00-02:00 Europe/London"));
    }

    @Test
    void shouldFollowDeploymentChangesThroughTheWatch() {
        SharedIndexInformer<Deployment> informer = watch.watch("local", "local", client);
        try {
            followChanges();
        } finally {
            informer.stop();
        }
    }

    private void followChanges() {
        TestFleet.create(client, TestFleet.instance("inv-watched", "Daily 09:00-12:00", true, null, "2026.3.0"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.viewer())
                        .when()
                        .get("/api/instances/inv-watched")
                        .then()
                        .statusCode(200)
                        .body("window", equalTo("Daily 09:00-12:00 UTC")));

        client.apps()
                .deployments()
                .inNamespace(TestFleet.NAMESPACE)
                .withName("inv-watched")
                .edit(d -> {
                    d.getMetadata().getAnnotations().put("reefline.io/maintenance-window", "Mon-Fri 14:00-16:00");
                    return d;
                });
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.viewer())
                        .when()
                        .get("/api/instances/inv-watched")
                        .then()
                        .body("window", equalTo("Mon-Fri 14:00-16:00 UTC")));

        client.apps()
                .deployments()
                .inNamespace(TestFleet.NAMESPACE)
                .withName("inv-watched")
                .delete();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.viewer())
                        .when()
                        .get("/api/instances/inv-watched")
                        .then()
                        .statusCode(404));
    }

    @Test
    void shouldDiscoverSandboxReefsWhileABrokenReefFails() throws Exception {
        try (Sandbox sandbox = Sandbox.start(SandboxSpec.defaults()
                        .withReefs(2)
                        .withInstancesPerReef(10)
                        .withKubeletDelay(Duration.ofMillis(100)));
                KubernetesClient unreachable = new KubernetesClientBuilder()
                        .withConfig(new ConfigBuilder()
                                .withMasterUrl("http://127.0.0.1:1")
                                .withRequestRetryBackoffLimit(0)
                                .withConnectionTimeout(500)
                                .build())
                        .build()) {
            RefreshOutcome broken = inventory.refresh("reef-gone-1", "eu", unreachable);
            List<RefreshOutcome> outcomes = sandbox.reefs().stream()
                    .map((SandboxReef reef) -> inventory.refresh(reef.name(), reef.region(), reef.client()))
                    .toList();

            assertNotNull(broken.error());
            assertEquals(
                    List.of(10, 10), outcomes.stream().map(RefreshOutcome::seen).toList());
            assertEquals(1, outcomes.stream().mapToInt(RefreshOutcome::invalid).sum());
        }
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?region=eu&size=100")
                .then()
                .statusCode(200)
                .body("total", equalTo(10))
                .body("items.reef", everyItem(equalTo("reef-eu-1")));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?ring=staff&region=us")
                .then()
                .body("items.id", contains("i-us1-001"))
                .body("items[0].tenant", equalTo("reefline-staff"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?invalid=true&version=2026.11.0")
                .then()
                .body("total", equalTo(1))
                .body("items[0].errors[0]", containsString("Someday"));
    }

    @Test
    void shouldPinAndOptOutWithIfMatch() {
        TestFleet.create(client, TestFleet.instance("inv-pin", "Daily 09:00-12:00", true, null, "2026.3.0"));
        inventory.refreshAll();
        String etag = given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances/inv-pin")
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");

        String pinned = given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"pin\":\"laggard\",\"optedOut\":true}")
                .when()
                .patch("/api/instances/inv-pin")
                .then()
                .statusCode(200)
                .body("ring", equalTo("laggard"))
                .body("pinSource", equalTo("override"))
                .body("optedOut", equalTo(true))
                .extract()
                .header("ETag");

        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .header("If-Match", etag)
                .body("{\"pin\":\"staff\"}")
                .when()
                .patch("/api/instances/inv-pin")
                .then()
                .statusCode(412)
                .contentType("application/problem+json");
        // A refresh that finds nothing new keeps the override and the ETag.
        inventory.refreshAll();
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?ring=laggard")
                .then()
                .body("items.id", hasItem("inv-pin"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances/inv-pin")
                .then()
                .header("ETag", equalTo(pinned));
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .header("If-Match", pinned)
                .body("{\"pin\":\"annotation\"}")
                .when()
                .patch("/api/instances/inv-pin")
                .then()
                .statusCode(200)
                .body("ring", equalTo("none"))
                .body("pinSource", equalTo("annotation"));
    }

    @Test
    void shouldRejectBadPatchAndViewerPatch() {
        TestFleet.create(client, TestFleet.instance("inv-bad", "Daily 09:00-12:00", true, null, "2026.3.0"));
        inventory.refreshAll();
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"pin\":\"canary\"}")
                .when()
                .header("If-Match", "*")
                .patch("/api/instances/inv-bad")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("pin"));
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body("{\"optedOut\":true}")
                .when()
                .header("If-Match", "*")
                .patch("/api/instances/inv-bad")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.operator())
                .contentType(ContentType.JSON)
                .body("{\"optedOut\":true}")
                .when()
                .header("If-Match", "*")
                .patch("/api/instances/nobody")
                .then()
                .statusCode(404);
        given().when().get("/api/instances").then().statusCode(401);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?ring=canary")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/instances?active=maybe")
                .then()
                .statusCode(400)
                .body("violations[0].field", equalTo("active"));
    }
}
