package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxSpec;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nothing is lost: andon-service records each pulled cord's incident in its outbox while metrics-service is down,
 * and once metrics-service comes up every incident arrives exactly once; rollout-service's release events reach it
 * the same way. The services run as real processes on their own embedded PostgreSQL and talk over HTTP with
 * self-signed service tokens; rollout-service drives a sandbox reef.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutboxDeliveryIT {

    private static Path work;
    private static ServiceKeys keys;
    private static ServiceProcess andon;
    private static ServiceProcess metrics;
    private static ServiceProcess rollout;
    private static Sandbox sandbox;
    private static int metricsPort;

    @BeforeAll
    static void startAndonWithMetricsDown() throws Exception {
        work = Files.createTempDirectory("reefline-outbox-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        metricsPort = ServiceProcess.freePort();
        andon = ServiceProcess.start(
                        "andon",
                        ServiceProcess.freePort(),
                        work.resolve("andon"),
                        withKeys(Map.of(
                                "reefline.services.metrics", "http://127.0.0.1:" + metricsPort,
                                "reefline.outbox.relay-interval", "0.2s",
                                "reefline.outbox.initial-backoff", "PT0.2S",
                                "reefline.outbox.max-backoff", "PT1S")))
                .awaitReady(Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopAll() {
        if (andon != null) {
            andon.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (rollout != null) {
            rollout.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void shouldDeliverEveryIncidentExactlyOnceAfterReceiverComesUp() {
        List<String> reasons = List.of("Deploys to reef-eu-1 fail", "Login page is blank", "Runbooks time out");
        for (String reason : reasons) {
            given().auth()
                    .oauth2(token("viewer"))
                    .contentType(ContentType.JSON)
                    .body("{\"reason\":\"" + reason + "\",\"category\":\"doesnt-look-right\",\"scope\":\"global\"}")
                    .when()
                    .post(andon.url() + "/api/cords")
                    .then()
                    .statusCode(201);
        }

        // metrics-service is down: the incidents wait in andon's outbox and the relay keeps failing.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().auth()
                        .oauth2(token("admin"))
                        .when()
                        .get(andon.url() + "/api/outbox")
                        .then()
                        .statusCode(200)
                        .body("pending", equalTo(3))
                        .body("waiting[0].attempts", greaterThan(1)));

        metrics = ServiceProcess.start("metrics", metricsPort, work.resolve("metrics"), withKeys(Map.of()))
                .awaitReady(Duration.ofSeconds(90));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth()
                        .oauth2(token("admin"))
                        .when()
                        .get(andon.url() + "/api/outbox")
                        .then()
                        .body("pending", equalTo(0))
                        .body("delivered", equalTo(3)));

        // A few more relay passes must not deliver anything twice.
        sleep(Duration.ofSeconds(2));
        given().auth()
                .oauth2(token("viewer"))
                .when()
                .get(metrics.url() + "/api/events")
                .then()
                .statusCode(200)
                .body("incident", equalTo(3));
        List<String> titles = given().auth()
                .oauth2(token("viewer"))
                .when()
                .get(metrics.url() + "/api/incidents")
                .then()
                .statusCode(200)
                .body("items", hasSize(3))
                .extract()
                .jsonPath()
                .getList("items.title", String.class);
        assertEquals(new HashSet<>(reasons), new HashSet<>(titles));
    }

    @Test
    @Order(2)
    void shouldDeliverRegisteredReleaseFromRolloutService() throws Exception {
        if (metrics == null) {
            metrics = ServiceProcess.start("metrics", metricsPort, work.resolve("metrics"), withKeys(Map.of()))
                    .awaitReady(Duration.ofSeconds(90));
        }
        sandbox = Sandbox.start(SandboxSpec.defaults().withReefs(1).withInstancesPerReef(5));
        Path kubeconfig = work.resolve("kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        Properties reefs = Scenarios.reefSettings(sandbox, kubeconfig);
        Map<String, String> properties = new java.util.HashMap<>(withKeys(Map.of(
                "reefline.services.metrics", metrics.url(),
                "reefline.outbox.relay-interval", "0.2s",
                "reefline.outbox.initial-backoff", "PT0.2S")));
        reefs.stringPropertyNames().forEach(name -> properties.put(name, reefs.getProperty(name)));
        rollout = ServiceProcess.start("rollout", ServiceProcess.freePort(), work.resolve("rollout"), properties)
                .awaitReady(Duration.ofSeconds(90));

        given().auth()
                .oauth2(token("operator"))
                .contentType(ContentType.JSON)
                .body("{\"version\":\"2026.11.4\",\"image\":\"registry.reefline.local/product:2026.11.4\","
                        + "\"commits\":[\"9fceb02d0ae598e95dc970b74767f19372d61af8\"]}")
                .when()
                .post(rollout.url() + "/api/releases")
                .then()
                .statusCode(201);

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth()
                        .oauth2(token("viewer"))
                        .when()
                        .get(metrics.url() + "/api/events")
                        .then()
                        .statusCode(200)
                        .body("release", equalTo(1)));
    }

    private static Map<String, String> withKeys(Map<String, String> properties) {
        return keys.withKeys(properties);
    }

    private static String token(String role) {
        return keys.token(role);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
