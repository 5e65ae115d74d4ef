package io.reefline.metrics.ui;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.reefline.metrics.service.DeliveryReports;
import io.reefline.metrics.service.DeliveryReports.DoraReport;
import io.reefline.metrics.service.DeliveryReports.Metric;
import io.reefline.metrics.service.DeliveryReports.Period;
import io.reefline.metrics.service.DeliveryReports.UptimeMonth;
import io.reefline.platform.security.Roles;
import io.reefline.platform.ui.PageUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The metrics dashboard: the last twelve months as charts, with this period's headline values and their levels. */
@Path("/ui/metrics")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class MetricsPageResource {

    /** One headline value of the page. */
    @TemplateData
    public record Headline(String id, String name, String value, String statistic, String level, String goal) {}

    /** Time to detect of the incidents one ring detected, over the page's period. */
    @TemplateData
    public record RingDetection(String ring, long incidents, String median, String p90, String level) {}

    /** Everything the page shows. */
    @TemplateData
    public record MetricsPage(
            String period,
            List<Headline> headlines,
            String leadTimeChart,
            String recoveryChart,
            String reworkChart,
            String escapeChart,
            String uptimeChart,
            List<RingDetection> detectionByRing,
            List<UptimeMonth> uptime) {}

    private static final double HOUR = 3600;
    private static final double DAY = 86_400;

    private final Template page;
    private final DeliveryReports reports;
    private final SecurityIdentity identity;
    private final Clock clock;

    MetricsPageResource(
            @Location("metrics/page.html") Template page,
            DeliveryReports reports,
            SecurityIdentity identity,
            Clock clock) {
        this.page = page;
        this.reports = reports;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    public String show() {
        YearMonth now = YearMonth.from(clock.instant().atOffset(ZoneOffset.UTC));
        Instant from = now.minusMonths(11).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = now.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        DoraReport dora = reports.dora(from, to, Grouping.MONTH);
        List<UptimeMonth> uptime = reports.uptime(from, to).months();
        List<String> months = dora.groups().stream()
                .map(g -> g.start().atOffset(ZoneOffset.UTC).getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                .toList();
        Metric lead = dora.total().metrics().get("leadTimeToFirstCustomer");
        String leadChart = new SvgChart(
                        "lead-time-chart", "Lead time for changes (median, days)", months, SvgChart::days)
                .series(new SvgChart.Series(
                        "median lead time", "#0b6e99", values(dora, "leadTimeToFirstCustomer", v -> v / DAY), false))
                .series(new SvgChart.Series(
                        "to every non-laggard", "#7cc4ea", values(dora, "leadTimeToNonLaggards", v -> v / DAY), false))
                .goal(lead.goal() == null ? null : lead.goal() / DAY)
                .render();
        // Time to detect as a line over the fix bars: the line falls as analysis pulls the cord within minutes.
        String recoveryChart = new SvgChart(
                        "mttr-chart",
                        "Failed deployment recovery time: time to detect and time to fix (median)",
                        months,
                        SvgChart::hours)
                .series(new SvgChart.Series("time to fix", "#1b7f3b", values(dora, "timeToFix", v -> v / HOUR), true))
                .series(new SvgChart.Series(
                        "time to detect", "#b54708", values(dora, "timeToDetect", v -> v / HOUR), false))
                .render();
        Metric rework = dora.total().metrics().get("deploymentReworkRate");
        String reworkChart = new SvgChart("rework-rate-chart", "Deployment rework rate (%)", months, SvgChart::percent)
                .series(new SvgChart.Series(
                        "rework deployments", "#6941c6", values(dora, "deploymentReworkRate", v -> v * 100), true))
                .goal(rework.goal() == null ? null : rework.goal() * 100)
                .render();
        Metric escape = dora.total().metrics().get("highSeverityDefectEscapeRate");
        String escapeChart = new SvgChart(
                        "escape-rate-chart", "High-severity defect escape rate (%)", months, SvgChart::percent)
                .series(new SvgChart.Series(
                        "SEV-0/1 escape rate",
                        "#b42318",
                        values(dora, "highSeverityDefectEscapeRate", v -> v * 100),
                        true))
                .goal(escape.goal() == null ? null : escape.goal() * 100)
                .render();
        List<String> uptimeMonths = uptime.stream()
                .map(m -> YearMonth.parse(m.month()).getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH))
                .toList();
        double lowest = uptime.stream()
                .mapToDouble(UptimeMonth::uptimeInclPlanned)
                .min()
                .orElse(1);
        String uptimeChart = new SvgChart("uptime-chart", "Uptime by month (%)", uptimeMonths, SvgChart::uptime)
                .series(new SvgChart.Series(
                        "without planned maintenance",
                        "#1b7f3b",
                        uptime.stream().map(m -> m.uptime() * 100).toList(),
                        false))
                .series(new SvgChart.Series(
                        "incl. planned maintenance",
                        "#0b6e99",
                        uptime.stream().map(m -> m.uptimeInclPlanned() * 100).toList(),
                        false))
                .floor(Math.floor(Math.min(lowest * 100, 99.9) * 10) / 10)
                .render();
        Period total = dora.total();
        List<Headline> headlines = List.of(
                headline("lead-time", "Lead time for changes", total.metrics().get("leadTimeToFirstCustomer"), true),
                headline(
                        "failed-deployment-recovery-time",
                        "Failed deployment recovery time",
                        total.metrics().get("failedDeploymentRecoveryTime"),
                        true),
                headline("time-to-detect", "… time to detect", total.metrics().get("timeToDetect"), true),
                headline("time-to-fix", "… time to fix", total.metrics().get("timeToFix"), true),
                headline(
                        "deployment-frequency",
                        "Deployment frequency",
                        total.metrics().get("deploymentFrequency"),
                        false),
                headline(
                        "change-failure-rate",
                        "Change failure rate",
                        total.metrics().get("changeFailureRate"),
                        false),
                headline(
                        "rework-rate", "Deployment rework rate", total.metrics().get("deploymentReworkRate"), false),
                headline(
                        "escape-rate",
                        "High-severity defect escape rate",
                        total.metrics().get("highSeverityDefectEscapeRate"),
                        false));
        MetricsPage data = new MetricsPage(
                now.minusMonths(11) + " to " + now,
                headlines,
                leadChart,
                recoveryChart,
                reworkChart,
                escapeChart,
                uptimeChart,
                detectionByRing(total.metrics().get("timeToDetect")),
                uptime);
        return page.data("page", data).data("user", PageUser.of(identity)).render();
    }

    private static Headline headline(String id, String name, Metric metric, boolean duration) {
        String goal = metric.goal() == null
                ? null
                : duration
                        ? io.reefline.metrics.domain.DurationText.of(metric.goal())
                        : metric.unit().equals("ratio") ? percent(metric.goal() * 100) : metric.goal() + " per day";
        return new Headline(id, name, metric.display(), metric.judgedBy(), metric.level(), goal);
    }

    private static List<RingDetection> detectionByRing(Metric timeToDetect) {
        return timeToDetect.byRing().entrySet().stream()
                .map(e -> new RingDetection(
                        e.getKey(),
                        e.getValue().samples(),
                        e.getValue().display(),
                        statistic(e.getValue(), "p90"),
                        e.getValue().level()))
                .toList();
    }

    private static String statistic(Metric metric, String name) {
        return metric.statistics().stream()
                .filter(s -> s.statistic().equals(name))
                .map(DeliveryReports.Statistic::display)
                .findFirst()
                .orElse("—");
    }

    private static List<Double> values(DoraReport dora, String metric, Function<Double, Double> scale) {
        return dora.groups().stream()
                .map(g -> g.metrics().get(metric).value())
                .map(v -> v == null ? null : scale.apply(v))
                .toList();
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }
}
