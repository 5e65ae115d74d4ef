package io.reefline.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * OFREP in every reef without the hub: the flag-service primary and three cells (reefs A, B and C) run as processes.
 * A change at the primary is served by every follower within 2 s; with the primary killed every follower keeps
 * answering from its last snapshot, also after a restart; with the primary back, changes flow again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetFollowersIT {

    private static final List<String> REEFS = List.of("reef-a", "reef-b", "reef-c");
    private static final String CONTEXT = "{\"context\":{\"targetingKey\":\"user-7\",\"plan\":\"gold\"}}";

    private static Path work;
    private static ServiceKeys keys;
    private static int primaryPort;
    private static ServiceProcess primary;
    private static final List<ServiceProcess> cells = new ArrayList<>();
    private static final List<Integer> cellPorts = new ArrayList<>();
    private static String sdkKey;

    @BeforeAll
    static void startPrimaryAndThreeCells() throws Exception {
        work = Files.createTempDirectory("reefline-followers-it");
        keys = ServiceKeys.create(work.resolve("keys"));
        primaryPort = ServiceProcess.freePort();
        primary = startPrimary();
        admin().body("{\"name\":\"Production\"}")
                .put(primary.url() + "/api/environments/production")
                .then()
                .statusCode(201);
        admin().body(
                        "{\"key\":\"gold-banner\",\"name\":\"Gold banner\",\"type\":\"string\","
                                + "\"variants\":{\"plain\":\"plain\",\"shiny\":\"shiny\",\"new\":\"new\"},\"defaultVariant\":\"plain\"}")
                .post(primary.url() + "/api/flags")
                .then()
                .statusCode(201);
        configure("shiny");
        sdkKey = admin().body("{\"environment\":\"production\"}")
                .post(primary.url() + "/api/sdk-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");
        for (String reef : REEFS) {
            cellPorts.add(ServiceProcess.freePort());
        }
        for (int i = 0; i < REEFS.size(); i++) {
            cells.add(startCell(i));
        }
        for (ServiceProcess cell : cells) {
            cell.awaitReady(Duration.ofSeconds(60));
        }
    }

    @AfterAll
    static void stopAll() {
        cells.forEach(ServiceProcess::close);
        if (primary != null) {
            primary.close();
        }
    }

    @Test
    @Order(1)
    void aChangeAtThePrimaryIsServedByEveryFollowerWithinTwoSeconds() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> everyFollowerServes("shiny"));
        configure("new");
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> everyFollowerServes("new"));
        // Same bytes as the primary, ETag included.
        Response atPrimary = bulk(primary.url());
        for (ServiceProcess cell : cells) {
            Response atFollower = bulk(cell.url());
            assertEquals(atPrimary.asString(), atFollower.asString());
            assertEquals(atPrimary.header("ETag"), atFollower.header("ETag"));
        }
    }

    @Test
    @Order(2)
    void withThePrimaryKilledEveryFollowerKeepsAnsweringAlsoAfterARestart() throws Exception {
        primary.kill();
        Thread.sleep(1_000);
        for (ServiceProcess cell : cells) {
            evaluate(cell.url()).then().statusCode(200).body("value", equalTo("new"));
            given().get(cell.url() + "/q/health/ready").then().statusCode(200);
        }
        String before = evaluate(cells.get(1).url()).asString();
        cells.get(1).close();
        cells.set(1, startCell(1).awaitReady(Duration.ofSeconds(60)));
        assertEquals(before, evaluate(cells.get(1).url()).asString(), "the restarted follower answers from its disk");
        given().get(cells.get(1).url() + "/api/cell").then().body("follower.from", equalTo("disk"));
    }

    @Test
    @Order(3)
    void withThePrimaryBackChangesFlowAgain() throws Exception {
        primary = startPrimary();
        configure("plain");
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> everyFollowerServes("plain"));
    }

    private static ServiceProcess startPrimary() {
        return ServiceProcess.start(
                        "flag",
                        primaryPort,
                        work.resolve("flag"),
                        keys.withKeys(Map.of("flag.tenants.refresh-interval", "off")))
                .awaitReady(Duration.ofSeconds(120));
    }

    private static ServiceProcess startCell(int index) {
        Map<String, String> properties = new HashMap<>(keys.withKeys(Map.of()));
        properties.put("reefline.cell.reef", REEFS.get(index));
        properties.put(
                "reefline.cell.data-dir",
                work.resolve("cell-" + REEFS.get(index)).toString());
        properties.put("reefline.services.flag", "http://127.0.0.1:" + primaryPort);
        properties.put("reefline.cell.follower.max-backoff", "1s");
        return ServiceProcess.start("cell", cellPorts.get(index), work.resolve("cell-" + REEFS.get(index)), properties);
    }

    private static void everyFollowerServes(String variant) {
        for (ServiceProcess cell : cells) {
            evaluate(cell.url()).then().statusCode(200).body("variant", equalTo(variant));
        }
    }

    private static void configure(String variant) {
        admin().body("{\"enabled\":true,\"defaultVariant\":\"" + variant + "\"}")
                .header("If-Match", "*")
                .put(primary.url() + "/api/flags/gold-banner/environments/production")
                .then()
                .statusCode(200);
    }

    private static io.restassured.specification.RequestSpecification admin() {
        return given().auth().oauth2(keys.token("admin")).contentType(ContentType.JSON);
    }

    private static Response evaluate(String base) {
        return given().header("X-API-Key", sdkKey)
                .contentType(ContentType.JSON)
                .body(CONTEXT)
                .post(base + "/ofrep/v1/evaluate/flags/gold-banner");
    }

    private static Response bulk(String base) {
        return given().header("X-API-Key", sdkKey)
                .contentType(ContentType.JSON)
                .body(CONTEXT)
                .post(base + "/ofrep/v1/evaluate/flags");
    }
}
