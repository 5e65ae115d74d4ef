package io.reefline.benchmarks.metrics;

import io.reefline.metrics.persistence.DoraQueries;
import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Times every metrics-service report over a year of about 1,000,000 events, with the service's own SQL
 * ({@link DoraQueries}) on an embedded PostgreSQL migrated by the service's own migration scripts. Not JMH: the unit of work
 * is one round of database aggregations of about a second, where a plain wall clock over several rounds is the honest
 * measure.
 *
 * <p>The year: 1,600 instances; 600 releases (one every ~14.6 h) of 50 commits each (30,000 commits); every release
 * deployed to every instance (staff, then 5% canary, stable, 5% laggards: 960,000 deployments, 1% of them failed);
 * 1,000 incidents; 10,000 outages. Run from the repository root (the migrations are read from metrics-service's
 * sources):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.reefline.benchmarks.metrics.DoraQueryBenchmark [rounds]
 * </pre>
 */
public final class DoraQueryBenchmark {

    static final String MIGRATIONS = "metrics-service/src/main/resources/db/migration";
    static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant TO = Instant.parse("2026-01-01T00:00:00Z");

    private DoraQueryBenchmark() {}

    public static void main(String... args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dataDir = Files.createTempDirectory("reefline-metrics-bench");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(true)
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("work_mem", "64MB")
                .start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            try (Connection connection = dataSource.getConnection()) {
                migrate(connection, Path.of(System.getProperty("metrics.migrations", MIGRATIONS)));
                long loadStarted = System.nanoTime();
                long events = load(connection);
                System.out.printf("Loaded %,d events in %.1f s%n", events, (System.nanoTime() - loadStarted) / 1e9);
                List<Double> seconds = new ArrayList<>();
                for (int round = 0; round <= rounds; round++) {
                    long started = System.nanoTime();
                    int rows = allReports(connection);
                    double elapsed = (System.nanoTime() - started) / 1e9;
                    // Round 0 warms the caches and the JIT; it is reported but not counted.
                    System.out.printf(
                            "round %d: %.3f s (%d result rows)%s%n",
                            round, elapsed, rows, round == 0 ? " warm-up" : "");
                    if (round > 0) {
                        seconds.add(elapsed);
                    }
                }
                double[] sorted = seconds.stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
                System.out.printf(
                        "All metrics for a year: median %.3f s, min %.3f s, max %.3f s over %d rounds%n",
                        median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
            }
        }
    }

    /** Every metric of a year: DORA by month, the uptime table and a month's defects. */
    static int allReports(Connection connection) throws SQLException {
        int rows = 0;
        long started = System.nanoTime();
        rows += DoraQueries.dora(connection, FROM, TO, Grouping.MONTH).size();
        long dora = System.nanoTime();
        rows += DoraQueries.uptime(connection, FROM, TO).size();
        long uptime = System.nanoTime();
        rows += DoraQueries.defects(connection, Instant.parse("2025-12-01T00:00:00Z"), TO)
                .size();
        long defects = System.nanoTime();
        System.out.printf(
                "  DORA by month %.3f s, uptime %.3f s, defects %.3f s%n",
                (dora - started) / 1e9, (uptime - dora) / 1e9, (defects - uptime) / 1e9);
        return rows;
    }

    /**
     * Generates the year inside PostgreSQL (generate_series), which is the fastest bulk load there is. The deployment
     * insert fires the same trigger as the service's ingestion (migration V3), so the summaries the reports read are
     * built within that statement and their upkeep is part of the load time, not of the report rounds.
     */
    static long load(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("""
                    insert into release (version, created_at)
                    select 'r' || r, timestamptz '2025-01-01' + (r * interval '14 hours 36 minutes')
                    from generate_series(0, 599) r
                    """);
            sql.execute("""
                    insert into source_commit (sha, repository, author, committed_at)
                    select lpad(to_hex(c), 40, '0'), 'acme/app', 'dev' || (c % 40),
                           timestamptz '2025-01-01' + ((c / 50) * interval '14 hours 36 minutes')
                               - ((c % 50) * interval '20 minutes') - interval '1 day'
                    from generate_series(0, 29999) c
                    """);
            sql.execute("""
                    insert into release_commit (version, sha)
                    select 'r' || (c / 50), lpad(to_hex(c), 40, '0') from generate_series(0, 29999) c
                    """);
            // Instance 0 is staff, 1-80 canary, 81-1519 stable, 1520-1599 laggards; later rings a day or more later.
            sql.execute("""
                    insert into deployment (event_id, instance_id, release, ring, started_at, finished_at, success)
                    select 'd-' || r || '-' || i, 'inst-' || i, 'r' || r,
                           case when i = 0 then 'staff' when i <= 80 then 'canary' when i < 1520 then 'stable'
                                else 'laggard' end,
                           t, t + interval '5 minutes', (r * 1600 + i) % 100 <> 7
                    from generate_series(0, 599) r
                    cross join generate_series(0, 1599) i
                    cross join lateral (select timestamptz '2025-01-01' + (r * interval '14 hours 36 minutes')
                        + case when i = 0 then interval '2 hours' when i <= 80 then interval '1 day'
                               when i < 1520 then interval '3 days' else interval '6 days' end
                        + (i % 24) * interval '1 hour' as t) at
                    """);
            sql.execute("""
                    insert into incident (id, severity, title, impact_started_at, detected_at, resolved_at,
                        causing_release, causing_commits, fix_version, source, links, snapshot_at)
                    select 'inc-' || n, 'SEV-' || (n % 4), 'Incident ' || n, null,
                           timestamptz '2025-01-03' + (n * interval '8 hours 45 minutes'),
                           timestamptz '2025-01-03' + (n * interval '8 hours 45 minutes') + interval '40 minutes',
                           'r' || least(599, n * 3 / 5),
                           case when n % 2 = 0 then jsonb_build_array(lpad(to_hex(n * 29), 40, '0')) else '[]' end,
                           'r' || least(599, n * 3 / 5 + 1), 'andon', '[]',
                           timestamptz '2025-01-03' + (n * interval '8 hours 45 minutes')
                    from generate_series(0, 999) n
                    """);
            sql.execute("""
                    insert into downtime (event_id, instance_id, service, started_at, ended_at, planned, source)
                    select 'o-' || n, case when n % 500 = 0 then null else 'inst-' || (n * 7 % 1600) end,
                           case when n % 500 = 0 then 'api' end,
                           timestamptz '2025-01-01' + (n * interval '52 minutes'),
                           timestamptz '2025-01-01' + (n * interval '52 minutes') + ((1 + n % 30) * interval '1 minute'),
                           n % 3 = 0, 'sidecar'
                    from generate_series(0, 9999) n
                    """);
            sql.execute("analyze");
        }
        long total = 0;
        for (String table : Arrays.asList("source_commit", "release", "deployment", "incident", "downtime")) {
            try (Statement sql = connection.createStatement();
                    var rs = sql.executeQuery("select count(*) from " + table)) {
                rs.next();
                total += rs.getLong(1);
            }
        }
        return total;
    }

    /**
     * Applies the service's versioned migrations in version order. Flyway's PostgreSQL support reaches the service
     * through Quarkus's build, not through this module's runtime class path, and plain execution is all that is needed.
     */
    static void migrate(Connection connection, Path folder) throws IOException, SQLException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(folder)) {
            scripts = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql"))
                    .sorted(Comparator.comparingInt(DoraQueryBenchmark::version))
                    .toList();
        }
        for (Path script : scripts) {
            try (Statement sql = connection.createStatement()) {
                sql.execute(Files.readString(script));
            }
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static double median(double[] sorted) {
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
