package io.reefline.metrics.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The aggregations behind every report, as plain JDBC so that PostgreSQL does the work (percentiles, buckets, interval
 * merging) and the benchmark runs the very same SQL without Quarkus. The formulas are explained in METRICS.md; the
 * names of the metric rows are the keys {@code DoraReport} reads.
 */
public final class DoraQueries {

    /** Granularity of a report's groups; the names are PostgreSQL {@code date_trunc} fields. */
    public enum Grouping {
        WEEK("week"),
        MONTH("month");

        private final String field;

        Grouping(String field) {
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /**
     * One aggregate: {@code bucket} is the start of its week or month (UTC), or null for the whole period. Durations are
     * in seconds; counts are in {@code samples}.
     */
    public record MetricRow(String metric, Instant bucket, long samples, Double median, Double p90, Double mean) {}

    /** One month of the uptime table: seconds of merged downtime summed over the fleet's members. */
    public record UptimeRow(
            Instant month,
            Instant windowStart,
            Instant windowEnd,
            long members,
            double unplannedSeconds,
            double allSeconds) {}

    /** One SEV-0/1 incident of the defect-escape table; the JSON columns are arrays of strings. */
    public record DefectRow(
            String id,
            Instant reportedAt,
            String severity,
            String title,
            String details,
            String source,
            String causingRelease,
            String causingCommitsJson,
            String linksJson) {}

    /**
     * When each release reached whom. A customer is any ring but {@code staff}; the non-laggards are the customers outside
     * the {@code laggard} ring. A failed upgrade counts only on a customer instance: the staff ring exists to catch
     * failures before customers see them. The per-release minima and maxima are kept in {@code release_reach} by a
     * trigger on every deployment insert (migration V3), so a report reads one row per release instead of every
     * deployment.
     */
    private static final String RELEASE_REACH = """
            reach as (
                select release, first_customer_at, non_laggards_at, first_attempt_at, failed_upgrade
                from release_reach
            )""";

    /**
     * The changes that escaped as a SEV-0/1 incident, bucketed by the incident's reporting (detection) time: each
     * linked commit once, and an incident that names no commit as one change of its own.
     */
    private static final String ESCAPED_CHANGES = """
            escaped as (
                select date_trunc(p.unit, i.detected_at, 'UTC') as bucket, change
                from incident i
                cross join p
                cross join lateral jsonb_array_elements_text(
                    case when jsonb_array_length(i.causing_commits) > 0 then i.causing_commits
                         else jsonb_build_array('incident:' || i.id) end) as change
                where i.severity in ('SEV-0', 'SEV-1') and i.detected_at >= p.from_at and i.detected_at < p.to_at
            )""";

    private static final String ESCAPE_ROWS = """
            select 'escapedCommits' as metric, bucket, count(distinct change) as samples,
                   null::float8 as median, null::float8 as p90, null::float8 as mean
            from escaped group by grouping sets ((bucket), ())
            union all
            select 'commits', bucket, count(*), null, null, null
            from (select date_trunc(p.unit, c.committed_at, 'UTC') as bucket
                  from source_commit c cross join p
                  where c.committed_at >= p.from_at and c.committed_at < p.to_at) made
            group by grouping sets ((bucket), ())
            """;

    private static final String PERIOD = """
            p as (select cast(? as timestamptz) as from_at, cast(? as timestamptz) as to_at, cast(? as text) as unit)""";

    /**
     * Successful customer instance upgrades finished in the period, bucketed. Whole UTC hours inside the period come from
     * {@code instance_upgrade_hour} (kept by the same trigger); only the partial hours at either end of a period that
     * does not start or end on the hour are counted from the deployments themselves, through the finish-time index.
     * Week and month buckets start on a UTC hour, so an hour never straddles two buckets.
     */
    private static final String UPGRADES = """
            hours as (
                select p.from_at, p.to_at, p.unit,
                       case when date_trunc('hour', p.from_at, 'UTC') = p.from_at then p.from_at
                            else date_trunc('hour', p.from_at, 'UTC') + interval '1 hour' end as whole_from,
                       date_trunc('hour', p.to_at, 'UTC') as whole_to
                from p
            ),
            upgrades as (
                select date_trunc(h.unit, u.hour, 'UTC') as bucket, u.upgrades
                from hours h join instance_upgrade_hour u on u.hour >= h.whole_from and u.hour < h.whole_to
                union all
                select date_trunc(h.unit, d.finished_at, 'UTC'), 1
                from hours h join deployment d
                    on d.finished_at >= h.from_at and d.finished_at < least(h.to_at, h.whole_from)
                where d.success and d.ring <> 'staff'
                union all
                select date_trunc(h.unit, d.finished_at, 'UTC'), 1
                from hours h join deployment d
                    on d.finished_at >= greatest(h.from_at, h.whole_from, h.whole_to) and d.finished_at < h.to_at
                where d.success and d.ring <> 'staff'
            )""";

    /** Every DORA aggregate of a period, per bucket and for the whole period, in one round trip. */
    public static final String DORA = "with " + PERIOD + ",\n" + RELEASE_REACH + ",\n" + UPGRADES + ",\n"
            + ESCAPED_CHANGES + ",\n" + """
            lead as (
                -- A commit counts from the first release listing it that reached a customer.
                select distinct on (c.sha) r.first_customer_at,
                       extract(epoch from r.first_customer_at - c.committed_at)::float8 as to_first_customer,
                       extract(epoch from r.non_laggards_at - c.committed_at)::float8 as to_non_laggards
                from source_commit c
                join release_commit rc on rc.sha = c.sha
                join reach r on r.release = rc.version
                where r.first_customer_at >= c.committed_at
                order by c.sha, r.first_customer_at
            ),
            lead_in as (
                select date_trunc(p.unit, l.first_customer_at, 'UTC') as bucket, l.to_first_customer, l.to_non_laggards
                from lead l cross join p
                where l.first_customer_at >= p.from_at and l.first_customer_at < p.to_at
            ),
            releases_in as (
                select date_trunc(p.unit, r.first_attempt_at, 'UTC') as bucket,
                       r.failed_upgrade or exists (select 1 from incident i where i.causing_release = r.release)
                           as failed
                from reach r cross join p
                where r.first_attempt_at >= p.from_at and r.first_attempt_at < p.to_at
            ),
            recovery as (
                -- The impact's start when the incident knows it (an automatic pull: the release's first upgrade),
                -- else when the causing release first reached a customer.
                select date_trunc(p.unit, i.detected_at, 'UTC') as bucket, i.ring,
                       case when coalesce(i.impact_started_at, r.first_customer_at) is not null then greatest(0,
                           extract(epoch from i.detected_at - coalesce(i.impact_started_at, r.first_customer_at)))
                       end::float8 as to_detect,
                       extract(epoch from least(
                           case when f.first_customer_at >= i.detected_at then f.first_customer_at end,
                           i.resolved_at) - i.detected_at)::float8 as to_fix
                from incident i
                cross join p
                left join reach r on r.release = i.causing_release
                left join reach f on f.release = i.fix_version
                where i.detected_at >= p.from_at and i.detected_at < p.to_at
            ),
            rework_release as (
                -- A release is rework when an incident names it as its fix, or its release event says what it fixes.
                select fix_version as release from incident where fix_version is not null
                union
                select version from release where fixes_incident is not null
            ),
            rework as (
                select date_trunc(p.unit, d.finished_at, 'UTC') as bucket
                from rework_release rr
                join deployment d on d.release = rr.release
                cross join p
                where d.success and d.ring <> 'staff' and d.finished_at >= p.from_at and d.finished_at < p.to_at
            )
            select 'leadTimeToFirstCustomer' as metric, bucket, count(to_first_customer) as samples,
                   percentile_cont(0.5) within group (order by to_first_customer) as median,
                   percentile_cont(0.9) within group (order by to_first_customer) as p90,
                   avg(to_first_customer) as mean
            from lead_in group by grouping sets ((bucket), ())
            union all
            select 'leadTimeToNonLaggards', bucket, count(to_non_laggards),
                   percentile_cont(0.5) within group (order by to_non_laggards),
                   percentile_cont(0.9) within group (order by to_non_laggards),
                   avg(to_non_laggards)
            from lead_in group by grouping sets ((bucket), ())
            union all
            select 'releasesDeployed', bucket, count(*), null, null, null
            from (select date_trunc(p.unit, r.first_customer_at, 'UTC') as bucket
                  from reach r cross join p
                  where r.first_customer_at >= p.from_at and r.first_customer_at < p.to_at) deployed
            group by grouping sets ((bucket), ())
            union all
            select 'instanceDeployments', bucket, coalesce(sum(upgrades), 0)::bigint, null, null, null
            from upgrades group by grouping sets ((bucket), ())
            union all
            select 'releasesAttempted', bucket, count(*), null, null, null
            from releases_in group by grouping sets ((bucket), ())
            union all
            select 'releasesFailed', bucket, count(*) filter (where failed), null, null, null
            from releases_in group by grouping sets ((bucket), ())
            union all
            select 'timeToDetect', bucket, count(to_detect),
                   percentile_cont(0.5) within group (order by to_detect),
                   percentile_cont(0.9) within group (order by to_detect),
                   avg(to_detect)
            from recovery group by grouping sets ((bucket), ())
            union all
            select 'timeToDetect@' || ring, bucket, count(to_detect),
                   percentile_cont(0.5) within group (order by to_detect),
                   percentile_cont(0.9) within group (order by to_detect),
                   avg(to_detect)
            from recovery where ring is not null group by grouping sets ((bucket, ring), (ring))
            union all
            select 'failedDeploymentRecoveryTime', bucket, count(to_detect + to_fix),
                   percentile_cont(0.5) within group (order by to_detect + to_fix),
                   percentile_cont(0.9) within group (order by to_detect + to_fix),
                   avg(to_detect + to_fix)
            from recovery group by grouping sets ((bucket), ())
            union all
            select 'reworkDeployments', bucket, count(*), null, null, null
            from rework group by grouping sets ((bucket), ())
            union all
            select 'timeToFix', bucket, count(to_fix),
                   percentile_cont(0.5) within group (order by to_fix),
                   percentile_cont(0.9) within group (order by to_fix),
                   avg(to_fix)
            from recovery group by grouping sets ((bucket), ())
            union all
            select 'incidents', bucket, count(*), null, null, null
            from recovery group by grouping sets ((bucket), ())
            union all
            """ + ESCAPE_ROWS;

    /** Only the escape-rate counts of a period (the defect report's header). */
    public static final String ESCAPE_RATE = "with " + PERIOD + ",\n" + ESCAPED_CHANGES + "\n" + ESCAPE_ROWS;

    /**
     * Monthly downtime of the fleet within {@code [from, to)}. A member is an instance (seen in a deployment or an
     * outage) or a service that reported an outage, counted in every month that ends after it was first seen.
     * Service-wide outages count against every member. Each member's outages are merged with {@code range_agg}, so an
     * overlap counts once; planned maintenance is merged separately from unplanned outages. An instance's first
     * deployment comes from {@code instance_first_deployment}, kept by the deployment trigger of migration V3.
     */
    public static final String UPTIME = """
            with p as (select cast(? as timestamptz) as from_at, cast(? as timestamptz) as to_at),
            months as (
                select (m at time zone 'UTC') as month,
                       greatest(m at time zone 'UTC', p.from_at) as window_start,
                       least((m + interval '1 month') at time zone 'UTC', p.to_at) as window_end
                from p cross join generate_series(
                    date_trunc('month', p.from_at at time zone 'UTC'),
                    (p.to_at at time zone 'UTC') - interval '1 microsecond',
                    interval '1 month') as m
            ),
            fleet as (
                select member, min(seen_at) as first_seen
                from (
                    select instance_id as member, first_at as seen_at from instance_first_deployment
                    union all
                    select instance_id, min(started_at) from downtime where instance_id is not null group by instance_id
                    union all
                    select 'service:' || service, min(started_at) from downtime where service is not null group by service
                ) seen
                group by member
            ),
            members as (
                select m.month, m.window_start, m.window_end, f.member
                from months m join fleet f on f.first_seen < m.window_end
            ),
            spans as (
                select mb.month, mb.member, d.planned,
                       tstzrange(greatest(d.started_at, mb.window_start), least(d.ended_at, mb.window_end)) as span
                from members mb
                join downtime d on d.instance_id = mb.member
                    and d.started_at < mb.window_end and d.ended_at > mb.window_start
                union all
                select mb.month, mb.member, d.planned,
                       tstzrange(greatest(d.started_at, mb.window_start), least(d.ended_at, mb.window_end))
                from members mb
                join downtime d on d.service is not null
                    and d.started_at < mb.window_end and d.ended_at > mb.window_start
            ),
            merged as (
                select month, member,
                       range_agg(span) filter (where not planned) as unplanned,
                       range_agg(span) as all_down
                from spans group by month, member
            ),
            member_downtime as (
                select month,
                       coalesce((select sum(extract(epoch from upper(r) - lower(r))) from unnest(unplanned) r), 0)
                           as unplanned_seconds,
                       coalesce((select sum(extract(epoch from upper(r) - lower(r))) from unnest(all_down) r), 0)
                           as all_seconds
                from merged
            )
            select m.month, m.window_start, m.window_end,
                   (select count(*) from members mb where mb.month = m.month) as members,
                   coalesce(sum(md.unplanned_seconds), 0)::float8 as unplanned_seconds,
                   coalesce(sum(md.all_seconds), 0)::float8 as all_seconds
            from months m
            left join member_downtime md on md.month = m.month
            group by m.month, m.window_start, m.window_end
            order by m.month
            """;

    /** The SEV-0/1 incidents reported within {@code [from, to)}, oldest first. */
    public static final String DEFECTS = """
            select id, detected_at, severity, title, details, source, causing_release,
                   causing_commits::text, links::text
            from incident
            where severity in ('SEV-0', 'SEV-1') and detected_at >= ? and detected_at < ?
            order by detected_at, id
            """;

    private DoraQueries() {}

    public static List<MetricRow> dora(Connection connection, Instant from, Instant to, Grouping grouping)
            throws SQLException {
        return metricRows(connection, DORA, from, to, grouping);
    }

    public static List<MetricRow> escapeRate(Connection connection, Instant from, Instant to, Grouping grouping)
            throws SQLException {
        return metricRows(connection, ESCAPE_RATE, from, to, grouping);
    }

    public static List<UptimeRow> uptime(Connection connection, Instant from, Instant to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(UPTIME)) {
            statement.setObject(1, utc(from));
            statement.setObject(2, utc(to));
            List<UptimeRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UptimeRow(
                            instant(rs, 1),
                            instant(rs, 2),
                            instant(rs, 3),
                            rs.getLong(4),
                            rs.getDouble(5),
                            rs.getDouble(6)));
                }
            }
            return rows;
        }
    }

    public static List<DefectRow> defects(Connection connection, Instant from, Instant to) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(DEFECTS)) {
            statement.setObject(1, utc(from));
            statement.setObject(2, utc(to));
            List<DefectRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new DefectRow(
                            rs.getString(1),
                            instant(rs, 2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9)));
                }
            }
            return rows;
        }
    }

    private static List<MetricRow> metricRows(
            Connection connection, String sql, Instant from, Instant to, Grouping grouping) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setObject(1, utc(from));
            statement.setObject(2, utc(to));
            statement.setString(3, grouping.field());
            List<MetricRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new MetricRow(
                            rs.getString(1),
                            instant(rs, 2),
                            rs.getLong(3),
                            nullableDouble(rs, 4),
                            nullableDouble(rs, 5),
                            nullableDouble(rs, 6)));
                }
            }
            return rows;
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }
}
