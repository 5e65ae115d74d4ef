package io.reefline.metrics;

import static io.reefline.metrics.TestEvents.post;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.reefline.metrics.persistence.DoraQueries;
import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.reefline.metrics.persistence.DoraQueries.MetricRow;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The summaries of migration V3 (release reach, upgrades per hour, first deployment per instance) are folded in as
 * deployments arrive. They must end up exactly what aggregating every stored deployment gives, whatever the order and
 * the batching of the events and however often they are redelivered.
 */
@QuarkusTest
class DeliverySummariesTest {

    private static final String[] RINGS = {"staff", "canary", "stable", "laggard"};

    /** The definitions the reports used before the summaries existed, straight over the deployment table. */
    private static final String REACH_FROM_DEPLOYMENTS = """
            select d.release,
                   min(d.finished_at) filter (where d.success and d.ring <> 'staff'),
                   max(d.finished_at) filter (where d.success and d.ring not in ('staff', 'laggard')),
                   min(d.started_at) filter (where d.ring <> 'staff'),
                   coalesce(bool_or(not d.success) filter (where d.ring <> 'staff'), false)
            from deployment d group by d.release order by 1""";

    private static final String REACH_SUMMARY = """
            select release, first_customer_at, non_laggards_at, first_attempt_at, failed_upgrade
            from release_reach order by 1""";

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void emptyTables() {
        TestEvents.clear(em);
    }

    @Test
    void shouldKeepTheSummariesEqualToTheDeploymentsWhenEventsArriveOutOfOrderAndRepeatedly() throws SQLException {
        List<String> events = deployments();
        Collections.shuffle(events, new Random(7));
        // Uneven batches in shuffled order: a release's later upgrades often arrive before its first one.
        int from = 0;
        for (int size : new int[] {1, 7, 3, 20, 1}) {
            post("deployments", batch(events.subList(from, from + size)))
                    .statusCode(200)
                    .body("stored", equalTo(size));
            from += size;
        }
        assertSummariesMatchDeployments();

        // Every event, reversed, in one batch: those already stored are redeliveries and store nothing, the rest arrive
        // late and out of order.
        List<String> redelivered = new ArrayList<>(events);
        Collections.reverse(redelivered);
        post("deployments", batch(redelivered))
                .statusCode(200)
                .body("stored", equalTo(events.size() - from))
                .body("duplicates", equalTo(from));
        assertSummariesMatchDeployments();

        // Hand-checkable: release 2025.12.1 first reaches a customer with canary inst-1 at 01:10 (started 01:05),
        // inst-3's canary upgrade failed, and the last non-laggard (stable inst-21) finishes at 00:17 + 21 * 53 min.
        Map<String, List<Object>> reach = rows(REACH_SUMMARY);
        assertEquals(
                List.of("2025.12.1", "2025-12-01T01:10:00Z", "2025-12-01T18:50:00Z", "2025-12-01T01:05:00Z", "true"),
                reach.get("2025.12.1"));

        // Once more, with every event already stored: nothing is stored and the summaries do not move.
        post("deployments", batch(events)).statusCode(200).body("stored", equalTo(0));
        assertEquals(reach, rows(REACH_SUMMARY));
        assertSummariesMatchDeployments();
    }

    @Test
    void shouldCountCustomerUpgradesOfAPeriodThatStartsAndEndsMidHour() throws SQLException {
        List<String> events = deployments();
        post("deployments", batch(events)).statusCode(200).body("stored", equalTo(events.size()));
        Instant from = Instant.parse("2025-12-01T01:05:00Z");
        Instant to = Instant.parse("2025-12-01T20:41:00Z");
        String customerUpgrades = "select count(*) from deployment where success and ring <> 'staff' and ";
        try (Connection connection = dataSource.getConnection()) {
            // Both partial hours hold upgrades (release 1's inst-1 at 01:10; release 3's inst-18 at 20:11 and release
            // 1's
            // inst-23 at 20:36), so both edges are exercised.
            assertEquals(
                    1,
                    single(
                            connection,
                            customerUpgrades
                                    + "finished_at >= '2025-12-01T01:05:00Z' and finished_at < '2025-12-01T02:00:00Z'"));
            assertEquals(
                    2,
                    single(
                            connection,
                            customerUpgrades
                                    + "finished_at >= '2025-12-01T20:00:00Z' and finished_at < '2025-12-01T20:41:00Z'"));
            long direct = single(
                    connection,
                    customerUpgrades
                            + "finished_at >= '2025-12-01T01:05:00Z' and finished_at < '2025-12-01T20:41:00Z'");
            for (Grouping grouping : Grouping.values()) {
                Map<String, Long> upgrades = new TreeMap<>();
                for (MetricRow row : DoraQueries.dora(connection, from, to, grouping)) {
                    if (row.metric().equals("instanceDeployments")) {
                        upgrades.put(String.valueOf(row.bucket()), row.samples());
                    }
                }
                // 2025-12-01 is a Monday: one bucket by week or by month, plus the whole period (null).
                assertEquals(Map.of("2025-12-01T00:00:00Z", direct, "null", direct), upgrades, grouping.name());
            }
        }
    }

    private void assertSummariesMatchDeployments() throws SQLException {
        assertEquals(rows(REACH_FROM_DEPLOYMENTS), rows(REACH_SUMMARY));
        assertEquals(rows("""
                        select date_trunc('hour', finished_at, 'UTC'), count(*) from deployment
                        where success and ring <> 'staff' group by 1 order by 1"""), rows("select hour, upgrades from instance_upgrade_hour order by 1"));
        assertEquals(
                rows("select instance_id, min(finished_at) from deployment group by 1 order by 1"),
                rows("select instance_id, first_at from instance_first_deployment order by 1"));
    }

    /** Rows by their first column, every value as text (instants in UTC) so that both sides compare alike. */
    private Map<String, List<Object>> rows(String sql) throws SQLException {
        Map<String, List<Object>> rows = new TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("set time zone 'UTC'");
            try (ResultSet rs = statement.executeQuery(sql)) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        Object value = rs.getObject(c);
                        row.add(
                                value instanceof java.sql.Timestamp
                                        ? ((java.sql.Timestamp) value)
                                                .toInstant()
                                                .toString()
                                        : String.valueOf(value));
                    }
                    rows.put(String.valueOf(row.get(0)), row);
                }
            }
        }
        return rows;
    }

    private static long single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Three releases over 25 instances: instance 0 is staff, 1-5 canary, 6-21 stable, 22-24 laggard. Upgrades finish 53
     * minutes apart from 00:17 (release 1), 02:17 (release 2) and 04:17 (release 3), so they straddle many hours; every
     * seventh upgrade fails.
     */
    private static List<String> deployments() {
        List<String> events = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            for (int k = 0; k < 25; k++) {
                String ring = k == 0 ? RINGS[0] : k <= 5 ? RINGS[1] : k <= 21 ? RINGS[2] : RINGS[3];
                Instant finished = Instant.parse("2025-12-01T00:17:00Z").plusSeconds((r - 1) * 7_200L + k * 53 * 60L);
                Instant started = finished.minusSeconds(300);
                boolean success = (r * 25 + k) % 7 != 0;
                events.add(
                        "{\"id\":\"sum-" + r + "-" + k + "\",\"instanceId\":\"inst-" + k + "\",\"release\":\"2025.12."
                                + r + "\",\"ring\":\"" + ring + "\",\"startedAt\":\"" + started + "\",\"finishedAt\":\""
                                + finished + "\",\"success\":" + success + "}");
            }
        }
        return events;
    }

    private static String batch(List<String> events) {
        return "[" + String.join(",", events) + "]";
    }
}
