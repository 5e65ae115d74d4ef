package io.reefline.metrics;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class IncidentIngestionTest {

    @Inject
    EntityManager em;

    @BeforeEach
    void emptyTables() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from incident").executeUpdate();
            em.createNativeQuery("delete from ingested_event").executeUpdate();
        });
    }

    @Test
    void shouldStoreRepeatedEventIdOnce() {
        String event = incident(UUID.randomUUID().toString(), "andon-7", "SEV-1", "2026-11-02T10:00:00Z", null);
        for (int i = 0; i < 3; i++) {
            given().auth()
                    .oauth2(TestTokens.service())
                    .contentType(ContentType.JSON)
                    .body(event)
                    .when()
                    .post("/api/events/incidents")
                    .then()
                    .statusCode(200)
                    .body("received", equalTo(1))
                    .body("stored", equalTo(i == 0 ? 1 : 0))
                    .body("duplicates", equalTo(i == 0 ? 0 : 1));
        }
        assertEquals(1L, count("ingested_event"));
        assertEquals(1L, count("incident"));
    }

    @Test
    void shouldKeepNewestSnapshotOfAnIncident() {
        String opened = incident(UUID.randomUUID().toString(), "andon-8", "SEV-2", "2026-11-02T10:00:00Z", null);
        String resolved = incident(
                UUID.randomUUID().toString(), "andon-8", "SEV-2", "2026-11-02T10:00:00Z", "2026-11-02T10:45:00Z");
        // Delivered out of order: the resolved snapshot first, then the older opened one.
        post("[" + resolved + "," + opened + "]").statusCode(200).body("stored", equalTo(2));
        given().auth()
                .oauth2(TestTokens.viewer())
                .when()
                .get("/api/incidents")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].resolvedAt", equalTo("2026-11-02T10:45:00Z"));
    }

    @Test
    void shouldRejectBatchWithOneBadEventAndStoreNothing() {
        String good = incident(UUID.randomUUID().toString(), "andon-9", "SEV-1", "2026-11-02T10:00:00Z", null);
        String bad = incident(UUID.randomUUID().toString(), "andon-10", "SEV-7", "2026-11-02T10:00:00Z", null);
        post("[" + good + "," + bad + "]")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("[1].severity"));
        post("{\"id\":\"e1\",\"incidentId\":\"x\",\"title\":\"t\",\"severity\":\"SEV-1\",\"source\":\"ci\","
                        + "\"detectedAt\":\"yesterday\"}")
                .statusCode(400)
                .body("violations.field", hasItem("detectedAt"));
        assertEquals(0L, count("ingested_event"));
        assertEquals(0L, count("incident"));
    }

    @Test
    void shouldOnlyAcceptEventsFromServicesAndOperators() {
        String event = incident(UUID.randomUUID().toString(), "andon-11", "SEV-3", "2026-11-02T10:00:00Z", null);
        given().contentType(ContentType.JSON)
                .body(event)
                .when()
                .post("/api/events/incidents")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TestTokens.viewer())
                .contentType(ContentType.JSON)
                .body(event)
                .when()
                .post("/api/events/incidents")
                .then()
                .statusCode(403);
        assertEquals(0L, count("incident"));
    }

    private static io.restassured.response.ValidatableResponse post(String body) {
        return given().auth()
                .oauth2(TestTokens.service())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/events/incidents")
                .then();
    }

    private long count(String table) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from " + table)
                                .getSingleResult())
                        .longValue());
    }

    private static String incident(
            String eventId, String incidentId, String severity, String detected, String resolved) {
        return "{\"id\":\"" + eventId + "\",\"incidentId\":\"" + incidentId + "\",\"title\":\"Deploys fail\","
                + "\"severity\":\"" + severity + "\",\"detectedAt\":\"" + detected + "\","
                + (resolved == null ? "" : "\"resolvedAt\":\"" + resolved + "\",")
                + "\"source\":\"andon\",\"causingRelease\":\"2026.11.3\"}";
    }
}
