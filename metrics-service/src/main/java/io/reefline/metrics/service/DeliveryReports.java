package io.reefline.metrics.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.metrics.domain.DoraLevel;
import io.reefline.metrics.domain.DoraMetric;
import io.reefline.metrics.domain.DurationText;
import io.reefline.metrics.domain.EscapeRate;
import io.reefline.metrics.domain.Goals;
import io.reefline.metrics.domain.Uptime;
import io.reefline.metrics.persistence.DoraQueries;
import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.reefline.metrics.persistence.DoraQueries.MetricRow;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Turns the aggregates PostgreSQL computes into the reports: each value with the statistic it is, its DORA level and
 * whether it meets the operators' goal.
 */
@ApplicationScoped
public class DeliveryReports {

    /** One statistic of a metric, e.g. the median lead time. */
    public record Statistic(String statistic, Double value, String display) {}

    /**
     * One metric of one period. {@code value} is the statistic named by {@code judgedBy}; {@code level} and {@code
     * meetsGoal} judge it (null when there was nothing to measure, or no goal, or no DORA level for the metric).
     * {@code byRing} (time to detect only) is the same metric over the incidents each ring detected; incidents that
     * name no ring count in the metric only.
     */
    public record Metric(
            String unit,
            long samples,
            Long numerator,
            Long denominator,
            String judgedBy,
            Double value,
            String display,
            List<Statistic> statistics,
            String level,
            Double goal,
            Boolean meetsGoal,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Metric> byRing) {

        Metric withByRing(Map<String, Metric> rings) {
            return new Metric(
                    unit,
                    samples,
                    numerator,
                    denominator,
                    judgedBy,
                    value,
                    display,
                    statistics,
                    level,
                    goal,
                    meetsGoal,
                    rings);
        }
    }

    /** The prefix of the aggregate rows of time to detect per ring: {@code timeToDetect@canary}. */
    private static final String TIME_TO_DETECT_OF_RING = "timeToDetect@";

    /** The metrics of one week, month or the whole period. */
    public record Period(Instant start, Instant end, Map<String, Metric> metrics) {}

    public record DoraReport(Instant from, Instant to, String groupBy, Period total, List<Period> groups) {}

    /** One row of the talk's uptime table. */
    public record UptimeMonth(
            String month,
            Instant start,
            Instant end,
            long members,
            double uptime,
            String uptimePercent,
            long weeklyUnplannedDowntimeSeconds,
            double uptimeInclPlanned,
            String uptimeInclPlannedPercent,
            long weeklyDowntimeInclPlannedSeconds,
            Boolean meetsGoal) {}

    public record UptimeReport(Instant from, Instant to, List<UptimeMonth> months) {}

    /** One row of the talk's defect-escape table. */
    public record Defect(
            String incidentId,
            LocalDate reportedOn,
            String severity,
            String title,
            String details,
            String source,
            String causingRelease,
            List<String> causingCommits,
            List<String> links) {}

    public record DefectReport(
            String month,
            long commits,
            long escapedCommits,
            double escapeRate,
            String escapeRatePercent,
            String summary,
            List<Defect> defects) {}

    private static final double SECONDS_PER_DAY = 86_400;

    private final DataSource dataSource;
    private final GoalStore goals;
    private final ObjectMapper json;

    DeliveryReports(DataSource dataSource, GoalStore goals, ObjectMapper json) {
        this.dataSource = dataSource;
        this.goals = goals;
        this.json = json;
    }

    public DoraReport dora(Instant from, Instant to, Grouping grouping) {
        List<MetricRow> rows;
        try (Connection connection = dataSource.getConnection()) {
            rows = DoraQueries.dora(connection, from, to, grouping);
        } catch (SQLException e) {
            throw new IllegalStateException("DORA aggregation failed", e);
        }
        Map<Instant, Map<String, MetricRow>> byBucket = new HashMap<>();
        Map<String, MetricRow> total = new HashMap<>();
        for (MetricRow row : rows) {
            (row.bucket() == null ? total : byBucket.computeIfAbsent(row.bucket(), b -> new HashMap<>()))
                    .put(row.metric(), row);
        }
        Goals target = goals.current().goals();
        List<Period> groups = new ArrayList<>();
        for (Instant start : bucketStarts(from, to, grouping)) {
            Instant end = next(start, grouping);
            Instant clippedStart = start.isBefore(from) ? from : start;
            Instant clippedEnd = end.isAfter(to) ? to : end;
            groups.add(period(clippedStart, clippedEnd, byBucket.getOrDefault(start, Map.of()), target));
        }
        return new DoraReport(from, to, grouping.field(), period(from, to, total, target), groups);
    }

    public UptimeReport uptime(Instant from, Instant to) {
        List<DoraQueries.UptimeRow> rows;
        try (Connection connection = dataSource.getConnection()) {
            rows = DoraQueries.uptime(connection, from, to);
        } catch (SQLException e) {
            throw new IllegalStateException("uptime aggregation failed", e);
        }
        Double goal = goals.current().goals().uptime();
        List<UptimeMonth> months = new ArrayList<>();
        for (DoraQueries.UptimeRow row : rows) {
            double memberSeconds = row.members()
                    * (double)
                            Duration.between(row.windowStart(), row.windowEnd()).toSeconds();
            double unplanned = memberSeconds == 0 ? 1 : 1 - row.unplannedSeconds() / memberSeconds;
            double all = memberSeconds == 0 ? 1 : 1 - row.allSeconds() / memberSeconds;
            months.add(new UptimeMonth(
                    YearMonth.from(row.month().atOffset(ZoneOffset.UTC)).toString(),
                    row.windowStart(),
                    row.windowEnd(),
                    row.members(),
                    unplanned,
                    Uptime.percent(unplanned),
                    Uptime.weeklyDowntimeSeconds(unplanned),
                    all,
                    Uptime.percent(all),
                    Uptime.weeklyDowntimeSeconds(all),
                    goal == null ? null : unplanned >= goal));
        }
        return new UptimeReport(from, to, months);
    }

    public DefectReport defects(YearMonth month) {
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<DoraQueries.DefectRow> rows;
        List<MetricRow> counts;
        try (Connection connection = dataSource.getConnection()) {
            rows = DoraQueries.defects(connection, from, to);
            counts = DoraQueries.escapeRate(connection, from, to, Grouping.MONTH);
        } catch (SQLException e) {
            throw new IllegalStateException("defect report failed", e);
        }
        Map<String, MetricRow> total = new HashMap<>();
        counts.stream().filter(r -> r.bucket() == null).forEach(r -> total.put(r.metric(), r));
        EscapeRate rate = new EscapeRate(samples(total, "escapedCommits"), samples(total, "commits"));
        List<Defect> defects = rows.stream()
                .map(r -> new Defect(
                        r.id(),
                        r.reportedAt().atOffset(ZoneOffset.UTC).toLocalDate(),
                        r.severity(),
                        r.title(),
                        r.details(),
                        r.source(),
                        r.causingRelease(),
                        strings(r.causingCommitsJson()),
                        strings(r.linksJson())))
                .toList();
        return new DefectReport(
                month.toString(),
                rate.commits(),
                rate.escaped(),
                rate.ratio(),
                rate.percent(),
                rate.describe(),
                defects);
    }

    private Period period(Instant start, Instant end, Map<String, MetricRow> rows, Goals target) {
        double days = Duration.between(start, end).toSeconds() / SECONDS_PER_DAY;
        Map<String, Metric> metrics = new LinkedHashMap<>();
        metrics.put(
                DoraMetric.LEAD_TIME_TO_FIRST_CUSTOMER.key(),
                duration(DoraMetric.LEAD_TIME_TO_FIRST_CUSTOMER, rows.get("leadTimeToFirstCustomer"), target));
        metrics.put(
                DoraMetric.LEAD_TIME_TO_NON_LAGGARDS.key(),
                duration(DoraMetric.LEAD_TIME_TO_NON_LAGGARDS, rows.get("leadTimeToNonLaggards"), target));
        long releases = samples(rows, "releasesDeployed");
        double perDay = days == 0 ? 0 : releases / days;
        metrics.put(
                DoraMetric.DEPLOYMENT_FREQUENCY.key(),
                judged(
                        DoraMetric.DEPLOYMENT_FREQUENCY,
                        releases,
                        releases,
                        null,
                        perDay,
                        String.format(Locale.ROOT, "%.2f per day", perDay),
                        List.of(
                                new Statistic("releases", (double) releases, releases + " releases"),
                                new Statistic("perDay", perDay, String.format(Locale.ROOT, "%.2f per day", perDay)),
                                new Statistic(
                                        "instanceDeployments",
                                        (double) samples(rows, "instanceDeployments"),
                                        samples(rows, "instanceDeployments") + " instance upgrades")),
                        target));
        long attempted = samples(rows, "releasesAttempted");
        long failed = samples(rows, "releasesFailed");
        metrics.put(
                DoraMetric.CHANGE_FAILURE_RATE.key(),
                ratio(DoraMetric.CHANGE_FAILURE_RATE, failed, attempted, "releases", target));
        metrics.put(
                DoraMetric.FAILED_DEPLOYMENT_RECOVERY_TIME.key(),
                duration(DoraMetric.FAILED_DEPLOYMENT_RECOVERY_TIME, rows.get("failedDeploymentRecoveryTime"), target));
        Map<String, Metric> byRing = new java.util.TreeMap<>();
        rows.forEach((name, row) -> {
            if (name.startsWith(TIME_TO_DETECT_OF_RING)) {
                byRing.put(
                        name.substring(TIME_TO_DETECT_OF_RING.length()),
                        duration(DoraMetric.TIME_TO_DETECT, row, target));
            }
        });
        metrics.put(
                DoraMetric.TIME_TO_DETECT.key(),
                duration(DoraMetric.TIME_TO_DETECT, rows.get("timeToDetect"), target)
                        .withByRing(byRing));
        metrics.put(DoraMetric.TIME_TO_FIX.key(), duration(DoraMetric.TIME_TO_FIX, rows.get("timeToFix"), target));
        metrics.put(
                DoraMetric.DEPLOYMENT_REWORK_RATE.key(),
                ratio(
                        DoraMetric.DEPLOYMENT_REWORK_RATE,
                        samples(rows, "reworkDeployments"),
                        samples(rows, "instanceDeployments"),
                        "deployments",
                        target));
        metrics.put(
                DoraMetric.DEFECT_ESCAPE_RATE.key(),
                ratio(
                        DoraMetric.DEFECT_ESCAPE_RATE,
                        samples(rows, "escapedCommits"),
                        samples(rows, "commits"),
                        "commits",
                        target));
        return new Period(start, end, metrics);
    }

    private static Metric duration(DoraMetric metric, MetricRow row, Goals target) {
        long samples = row == null ? 0 : row.samples();
        if (samples == 0) {
            return judged(metric, 0, null, null, null, "no data", List.of(), target);
        }
        List<Statistic> statistics = List.of(
                new Statistic("median", row.median(), DurationText.of(row.median())),
                new Statistic("p90", row.p90(), DurationText.of(row.p90())),
                new Statistic("mean", row.mean(), DurationText.of(row.mean())));
        return judged(metric, samples, null, null, row.median(), DurationText.of(row.median()), statistics, target);
    }

    private static Metric ratio(DoraMetric metric, long numerator, long denominator, String of, Goals target) {
        if (denominator == 0) {
            return judged(metric, 0, numerator, denominator, null, "no " + of, List.of(), target);
        }
        EscapeRate rate = new EscapeRate(numerator, denominator);
        String display = numerator + " of " + denominator + " " + of + " (" + rate.percent() + ")";
        return judged(
                metric,
                denominator,
                numerator,
                denominator,
                rate.ratio(),
                display,
                List.of(new Statistic("ratio", rate.ratio(), rate.percent())),
                target);
    }

    private static Metric judged(
            DoraMetric metric,
            long samples,
            Long numerator,
            Long denominator,
            Double value,
            String display,
            List<Statistic> statistics,
            Goals target) {
        String level =
                value == null ? null : metric.level(value).map(DoraLevel::code).orElse(null);
        Boolean meets = value == null ? null : metric.meetsGoal(target, value).orElse(null);
        return new Metric(
                metric.unit().label(),
                samples,
                numerator,
                denominator,
                metric.judgedBy(),
                value,
                display,
                statistics,
                level,
                metric.goal(target).orElse(null),
                meets,
                null);
    }

    private static long samples(Map<String, MetricRow> rows, String metric) {
        MetricRow row = rows.get(metric);
        return row == null ? 0 : row.samples();
    }

    /** The starts of the weeks (Mondays, as PostgreSQL's {@code date_trunc}) or months overlapping the period. */
    static List<Instant> bucketStarts(Instant from, Instant to, Grouping grouping) {
        LocalDate day = from.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate first = grouping == Grouping.WEEK
                ? day.with(TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                : day.withDayOfMonth(1);
        List<Instant> starts = new ArrayList<>();
        for (Instant start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
                start.isBefore(to);
                start = next(start, grouping)) {
            starts.add(start);
        }
        return starts;
    }

    private static Instant next(Instant start, Grouping grouping) {
        return grouping == Grouping.WEEK
                ? start.plus(7, ChronoUnit.DAYS)
                : start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
    }

    private List<String> strings(String jsonArray) {
        if (jsonArray == null) {
            return List.of();
        }
        try {
            return Objects.requireNonNullElse(
                    json.readValue(jsonArray, new TypeReference<List<String>>() {}), List.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON array is unreadable: " + jsonArray, e);
        }
    }
}
