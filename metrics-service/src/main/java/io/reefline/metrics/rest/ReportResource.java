package io.reefline.metrics.rest;

import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.reefline.metrics.service.DeliveryReports;
import io.reefline.metrics.service.DeliveryReports.DefectReport;
import io.reefline.metrics.service.DeliveryReports.DoraReport;
import io.reefline.metrics.service.DeliveryReports.UptimeReport;
import io.reefline.platform.csv.Csv;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The reports: DORA metrics, the uptime table and the defect-escape table. Each answers JSON, or CSV with {@code
 * Accept: text/csv} or {@code ?format=csv}.
 */
@Path("/api")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@RolesAllowed({Roles.VIEWER, Roles.SERVICE})
public class ReportResource {

    /** A year and a bit: a report of a longer period would be a different question (and a slow one). */
    static final Duration LONGEST_PERIOD = Duration.ofDays(400);

    private final DeliveryReports reports;
    private final Clock clock;

    ReportResource(DeliveryReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    /** DORA metrics of {@code [from, to)}; by default the last 90 days by week. */
    @GET
    @Path("dora")
    public Response dora(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("groupBy") String groupBy,
            @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        Instant end = time("to", to, clock.instant());
        Instant start = time("from", from, end.minus(Duration.ofDays(90)));
        checkPeriod(start, end);
        DoraReport report = reports.dora(start, end, grouping(groupBy));
        if (!csv(format, headers)) {
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        List<List<Object>> rows = new ArrayList<>();
        List<DeliveryReports.Period> periods = new ArrayList<>(report.groups());
        periods.add(report.total());
        for (DeliveryReports.Period period : periods) {
            String label = period == report.total() ? "total" : report.groupBy();
            Map<String, DeliveryReports.Metric> flat = new LinkedHashMap<>();
            period.metrics().forEach((name, metric) -> {
                flat.put(name, metric);
                // Time to detect per ring follows it as timeToDetect.byRing.<ring>.
                if (metric.byRing() != null) {
                    metric.byRing().forEach((ring, ofRing) -> flat.put(name + ".byRing." + ring, ofRing));
                }
            });
            flat.forEach((name, metric) -> {
                rows.add(List.of(
                        label,
                        period.start(),
                        period.end(),
                        name,
                        metric.judgedBy(),
                        orEmpty(metric.value()),
                        metric.unit(),
                        metric.samples(),
                        orEmpty(metric.level()),
                        orEmpty(metric.goal()),
                        orEmpty(metric.meetsGoal())));
                metric.statistics().stream()
                        .filter(s -> !s.statistic().equals(metric.judgedBy()))
                        .forEach(s -> rows.add(List.of(
                                label,
                                period.start(),
                                period.end(),
                                name,
                                s.statistic(),
                                orEmpty(s.value()),
                                metric.unit(),
                                metric.samples(),
                                "",
                                "",
                                "")));
            });
        }
        return csvResponse(
                List.of(
                        "group",
                        "start",
                        "end",
                        "metric",
                        "statistic",
                        "value",
                        "unit",
                        "samples",
                        "level",
                        "goal",
                        "meetsGoal"),
                rows);
    }

    /** Monthly uptime of {@code [from, to)}, with and without planned maintenance; by default the last 12 months. */
    @GET
    @Path("uptime")
    public Response uptime(
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        Instant end = time("to", to, clock.instant());
        Instant start = time(
                "from",
                from,
                YearMonth.from(end.atOffset(ZoneOffset.UTC))
                        .minusMonths(11)
                        .atDay(1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toInstant());
        checkPeriod(start, end);
        UptimeReport report = reports.uptime(start, end);
        if (!csv(format, headers)) {
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return csvResponse(
                List.of(
                        "month",
                        "uptime",
                        "weekly_unplanned_downtime_seconds",
                        "uptime_incl_planned_maintenance",
                        "weekly_downtime_incl_planned_maintenance_seconds",
                        "members"),
                report.months().stream()
                        .map(m -> List.<Object>of(
                                m.month(),
                                m.uptimePercent(),
                                m.weeklyUnplannedDowntimeSeconds(),
                                m.uptimeInclPlannedPercent(),
                                m.weeklyDowntimeInclPlannedSeconds(),
                                m.members()))
                        .toList());
    }

    /** The SEV-0/1 defects reported in a month, with the month's escape rate; by default this month. */
    @GET
    @Path("defects")
    public Response defects(
            @QueryParam("month") String month, @QueryParam("format") String format, @Context HttpHeaders headers) {
        YearMonth which;
        try {
            which = month == null || month.isBlank()
                    ? YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC))
                    : YearMonth.parse(month.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("month", "must be a month such as 2025-12");
        }
        DefectReport report = reports.defects(which);
        if (!csv(format, headers)) {
            return Response.ok(report, MediaType.APPLICATION_JSON_TYPE).build();
        }
        return csvResponse(
                List.of(
                        "reporting_date",
                        "severity",
                        "title",
                        "details",
                        "source",
                        "causing_release",
                        "commits",
                        "links"),
                report.defects().stream()
                        .map(d -> List.<Object>of(
                                d.reportedOn(),
                                d.severity(),
                                d.title(),
                                orEmpty(d.details()),
                                d.source(),
                                orEmpty(d.causingRelease()),
                                String.join(" ", d.causingCommits()),
                                String.join(" ", d.links())))
                        .toList());
    }

    private static boolean csv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "csv" -> true;
                case "json" -> false;
                default -> throw ProblemException.badRequest("format", "must be json or csv");
            };
        }
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType() || type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return false;
            }
            if (type.isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE))) {
                return true;
            }
        }
        return false;
    }

    private static Response csvResponse(List<String> header, List<List<Object>> rows) {
        return Response.ok(Csv.of(header, rows), Csv.MEDIA_TYPE + "; charset=utf-8")
                .build();
    }

    private static Grouping grouping(String groupBy) {
        if (groupBy == null || groupBy.isBlank()) {
            return Grouping.WEEK;
        }
        return switch (groupBy.strip().toLowerCase(Locale.ROOT)) {
            case "week" -> Grouping.WEEK;
            case "month" -> Grouping.MONTH;
            default -> throw ProblemException.badRequest("groupBy", "must be week or month");
        };
    }

    /** An ISO-8601 instant ({@code 2025-12-01T00:00:00Z}) or a date ({@code 2025-12-01}, midnight UTC). */
    private static Instant time(String field, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        String text = value.strip();
        try {
            return text.length() == 10
                    ? java.time.LocalDate.parse(text)
                            .atStartOfDay(ZoneOffset.UTC)
                            .toInstant()
                    : OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "must be an ISO-8601 time such as 2025-12-01T00:00:00Z or a date");
        }
    }

    private static void checkPeriod(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        if (Duration.between(from, to).compareTo(LONGEST_PERIOD) > 0) {
            throw ProblemException.badRequest("to", "a period is at most " + LONGEST_PERIOD.toDays() + " days");
        }
    }

    private static Object orEmpty(Object value) {
        return value == null ? "" : value;
    }
}
