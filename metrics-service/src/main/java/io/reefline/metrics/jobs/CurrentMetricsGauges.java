package io.reefline.metrics.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.reefline.metrics.persistence.DoraQueries.Grouping;
import io.reefline.metrics.service.DeliveryReports;
import io.reefline.metrics.service.DeliveryReports.Metric;
import io.reefline.metrics.service.DeliveryReports.UptimeMonth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The current values as Prometheus gauges for Grafana: DORA metrics of the last 30 days and this month's uptime.
 * Computed by a job, never on scrape, so a scrape costs nothing; NaN until the first computation.
 */
@ApplicationScoped
public class CurrentMetricsGauges {

    private static final Logger LOG = Logger.getLogger(CurrentMetricsGauges.class);
    static final Duration WINDOW = Duration.ofDays(30);

    private final DeliveryReports reports;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    CurrentMetricsGauges(DeliveryReports reports, MeterRegistry registry, Clock clock) {
        this.reports = reports;
        this.registry = registry;
        this.clock = clock;
    }

    void register(@Observes StartupEvent started) {
        for (String statistic : List.of("median", "p90", "mean")) {
            gauge("reefline_lead_time_seconds", "Commit to first customer instance, last 30 days", statistic, "lead");
            gauge(
                    "reefline_time_to_detect_seconds",
                    "Impact start (else causing release at a customer) to detected",
                    statistic,
                    "detect");
            gauge("reefline_time_to_fix_seconds", "Detected to fix deployed or resolved", statistic, "fix");
            gauge(
                    "reefline_failed_deployment_recovery_seconds",
                    "Impact start to recovery (time to detect + time to fix), last 30 days",
                    statistic,
                    "recovery");
        }
        gauge(
                "reefline_deployments_per_day",
                "Releases reaching a customer per day, last 30 days",
                "perDay",
                "deploys");
        gauge("reefline_change_failure_ratio", "Failed releases over releases, last 30 days", "ratio", "cfr");
        gauge(
                "reefline_deployment_rework_ratio",
                "Customer deployments of releases that fix an incident over customer deployments, last 30 days",
                "ratio",
                "rework");
        gauge("reefline_defect_escape_ratio", "Commits linked to SEV-0/1 incidents over commits", "ratio", "escape");
        gauge("reefline_uptime_ratio", "This month's fleet uptime without planned maintenance", "ratio", "uptime");
        gauge(
                "reefline_uptime_incl_planned_ratio",
                "This month's fleet uptime counting planned maintenance as down",
                "ratio",
                "uptimePlanned");
    }

    @Scheduled(every = "${metrics.gauges.refresh-interval:60s}", delayed = "5s")
    public void refresh() {
        Instant now = clock.instant();
        try {
            Map<String, Metric> dora =
                    reports.dora(now.minus(WINDOW), now, Grouping.MONTH).total().metrics();
            record(dora.get("leadTimeToFirstCustomer"), "lead");
            record(dora.get("timeToDetect"), "detect");
            record(dora.get("timeToFix"), "fix");
            record(dora.get("failedDeploymentRecoveryTime"), "recovery");
            values.put("rework/ratio", orNaN(dora.get("deploymentReworkRate").value()));
            values.put("deploys/perDay", orNaN(dora.get("deploymentFrequency").value()));
            values.put("cfr/ratio", orNaN(dora.get("changeFailureRate").value()));
            values.put(
                    "escape/ratio",
                    orNaN(dora.get("highSeverityDefectEscapeRate").value()));
            Instant monthStart = YearMonth.from(now.atOffset(ZoneOffset.UTC))
                    .atDay(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
            List<UptimeMonth> months =
                    reports.uptime(monthStart, now.plusMillis(1)).months();
            if (!months.isEmpty()) {
                values.put("uptime/ratio", months.get(0).uptime());
                values.put("uptimePlanned/ratio", months.get(0).uptimeInclPlanned());
            }
        } catch (RuntimeException e) {
            // A failed pass keeps the previous values; the next pass tries again.
            LOG.warnf(e, "Could not refresh the metric gauges");
        }
    }

    private void record(Metric metric, String key) {
        Map<String, Double> byStatistic = new java.util.HashMap<>();
        metric.statistics().forEach(s -> byStatistic.put(s.statistic(), s.value()));
        for (String statistic : List.of("median", "p90", "mean")) {
            values.put(key + "/" + statistic, orNaN(byStatistic.get(statistic)));
        }
    }

    private void gauge(String name, String description, String statistic, String key) {
        String slot = key + "/" + statistic;
        Gauge.builder(name, values, v -> v.getOrDefault(slot, Double.NaN))
                .description(description)
                .tag("statistic", statistic)
                .register(registry);
    }

    private static double orNaN(Double value) {
        return value == null ? Double.NaN : value;
    }
}
