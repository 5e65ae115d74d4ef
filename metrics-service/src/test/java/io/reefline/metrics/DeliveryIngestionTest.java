package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.commit;
import static io.reefline.metrics.TestEvents.deployment;
import static io.reefline.metrics.TestEvents.downtime;
import static io.reefline.metrics.TestEvents.post;
import static io.reefline.metrics.TestEvents.release;
import static io.reefline.metrics.TestEvents.serviceDowntime;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class DeliveryIngestionTest {

    @Inject
    EntityManager em;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldStoreARepeatedEventIdOnceForEveryKind() {
        Map<String, String> tableOfKind = Map.of(
                "commits", "source_commit",
                "releases", "release",
                "deployments", "deployment",
                "downtime", "downtime");
        Map<String, String> eventOfKind = Map.of(
                "commits", commit("abc1234", "2025-12-01T00:00:00Z"),
                "releases", release("1.0.0", "2025-12-01T00:00:00Z", "abc1234"),
                "deployments", deployment("inst-1", "1.0.0", "canary", "2025-12-02T00:00:00Z", true),
                "downtime", downtime("inst-1", "2025-12-03T00:00:00Z", "2025-12-03T00:01:00Z", false));
        eventOfKind.forEach((kind, event) -> {
            for (int i = 0; i < 3; i++) {
                post(kind, event)
                        .statusCode(200)
                        .body("received", equalTo(1))
                        .body("stored", equalTo(i == 0 ? 1 : 0))
                        .body("duplicates", equalTo(i == 0 ? 0 : 1));
            }
            assertEquals(1L, TestEvents.count(em, tableOfKind.get(kind)), kind);
        });
        assertEquals(1L, TestEvents.count(em, "release_commit"));
        assertEquals(4L, TestEvents.count(em, "ingested_event"));
    }

    @Test
    void shouldAcceptTheSidecarsDowntimeReportAsItIsSent() {
        post(
                        "downtime",
                        "{\"id\":\"5b0f6a2e-1f7c-4f0e-9b7e-3c8f2d9a4e11\",\"instanceId\":\"acme-prod\","
                                + "\"start\":\"2026-03-02T09:00:30Z\",\"end\":\"2026-03-02T09:01:00Z\",\"planned\":false,"
                                + "\"source\":\"sidecar\"}")
                .statusCode(200)
                .body("stored", equalTo(1));
        post("downtime", serviceDowntime("api", "2026-03-02T09:00:00Z", "2026-03-02T09:05:00Z"))
                .statusCode(200)
                .body("stored", equalTo(1));
        assertEquals(2L, TestEvents.count(em, "downtime"));
    }

    @Test
    void shouldRejectAWholeBatchNamingEachBadField() {
        String good = deployment("inst-1", "1.0.0", "canary", "2025-12-02T00:00:00Z", true);
        String badRing = deployment("inst-2", "1.0.0", "Canary!", "2025-12-02T00:00:00Z", true);
        String finishedBeforeStart =
                "{\"id\":\"d-3\",\"instanceId\":\"inst-3\",\"release\":\"1.0.0\",\"ring\":\"stable\","
                        + "\"startedAt\":\"2025-12-02T01:00:00Z\",\"finishedAt\":\"2025-12-02T00:00:00Z\",\"success\":true}";
        post("deployments", "[" + good + "," + badRing + "," + finishedBeforeStart + "]")
                .statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", hasItems("[1].ring", "[2].finishedAt"));
        post(
                        "downtime",
                        "[" + downtime("inst-1", "2025-12-03T00:00:00Z", "2025-12-03T00:01:00Z", false) + ","
                                + "{\"id\":\"x\",\"instanceId\":\"a\",\"service\":\"b\",\"start\":\"2025-12-03T00:00:00Z\","
                                + "\"end\":\"2025-12-03T00:00:00Z\",\"source\":\"ops\"}]")
                .statusCode(400)
                .body("violations.field", hasItems("[1].instanceId", "[1].end"));
        post("commits", commit("not-a-sha", "2025-12-01T00:00:00Z"))
                .statusCode(400)
                .body("violations.field", hasItem("sha"));
        post("releases", "{\"id\":\"r\",\"version\":\"1.0\",\"commits\":[],\"createdAt\":\"soon\"}")
                .statusCode(400)
                .body("violations.field", hasItem("createdAt"));
        post("commits", "null").statusCode(400);
        for (String table : new String[] {"deployment", "downtime", "source_commit", "release", "ingested_event"}) {
            assertEquals(0L, TestEvents.count(em, table), table);
        }
    }
}
