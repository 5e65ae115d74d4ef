package io.reefline.metrics;

import static io.restassured.RestAssured.given;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/** Posting events and resetting the database between tests. */
final class TestEvents {

    private TestEvents() {}

    static void clear(EntityManager em) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (String table : new String[] {
                "release_commit",
                "release",
                "source_commit",
                "deployment",
                // Deployments are append-only in the service, so their summaries are emptied along with them here.
                "release_reach",
                "instance_upgrade_hour",
                "instance_first_deployment",
                "downtime",
                "incident",
                "goal_set",
                "ingested_event"
            }) {
                em.createNativeQuery("delete from " + table).executeUpdate();
            }
        });
    }

    static long count(EntityManager em, String table) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number) em.createNativeQuery("select count(*) from " + table)
                                .getSingleResult())
                        .longValue());
    }

    static ValidatableResponse post(String kind, String body) {
        return given().auth()
                .oauth2(TestTokens.service())
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/events/" + kind)
                .then();
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    static String commit(String sha, String at) {
        return "{\"id\":\"" + id() + "\",\"sha\":\"" + sha + "\",\"repository\":\"acme/app\",\"author\":\"dev\","
                + "\"committedAt\":\"" + at + "\"}";
    }

    static String release(String version, String at, String... shas) {
        return "{\"id\":\"" + id() + "\",\"version\":\"" + version + "\",\"createdAt\":\"" + at + "\",\"commits\":["
                + (shas.length == 0 ? "" : "\"" + String.join("\",\"", shas) + "\"") + "]}";
    }

    static String deployment(String instance, String release, String ring, String finished, boolean success) {
        return "{\"id\":\"" + id() + "\",\"instanceId\":\"" + instance + "\",\"release\":\"" + release
                + "\",\"ring\":\"" + ring + "\",\"startedAt\":\"" + finished + "\",\"finishedAt\":\"" + finished
                + "\",\"success\":" + success + "}";
    }

    static String downtime(String instance, String start, String end, boolean planned) {
        return "{\"id\":\"" + id() + "\",\"instanceId\":\"" + instance + "\",\"start\":\"" + start + "\",\"end\":\""
                + end + "\",\"planned\":" + planned + ",\"source\":\"sidecar\"}";
    }

    static String serviceDowntime(String service, String start, String end) {
        return "{\"id\":\"" + id() + "\",\"service\":\"" + service + "\",\"start\":\"" + start + "\",\"end\":\"" + end
                + "\",\"planned\":false,\"source\":\"operator\"}";
    }

    /** An incident; {@code extra} is more JSON fields, e.g. {@code "causingRelease":"1.0",}. */
    static String incident(String incidentId, String severity, String detected, String extra) {
        return "{\"id\":\"" + id() + "\",\"incidentId\":\"" + incidentId + "\",\"title\":\"Defect " + incidentId
                + "\",\"severity\":\"" + severity + "\",\"detectedAt\":\"" + detected + "\"," + extra
                + "\"source\":\"andon\"}";
    }
}
