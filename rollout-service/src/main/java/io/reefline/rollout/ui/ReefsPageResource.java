package io.reefline.rollout.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.security.Roles;
import io.reefline.platform.ui.PageUser;
import io.reefline.rollout.domain.analysis.MetricResult;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Forecast;
import io.reefline.rollout.domain.plan.RingProgress;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.rest.ReefResource;
import io.reefline.rollout.rest.UpgradeResource.UpgradeView;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.service.ReleaseService;
import io.reefline.rollout.service.ReleaseService.RegisteredRelease;
import io.reefline.rollout.upgrade.JpaCanaryAnalyses;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import io.reefline.rollout.upgrade.reconcile.CanaryAnalyses.StoredVerdict;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The release board: releases x rings with done/total and ETA, the forecast of the newest release if it shipped now
 * with its window-start histogram, and the reefs this service drives.
 */
@Path("/ui/releases")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class ReefsPageResource {

    /** Releases shown on the board; older ones are in the API. */
    private static final int BOARD_ROWS = 20;

    /** Finished upgrades listed under the running ones. */
    private static final int RECENT_UPGRADES = 15;

    /** Releases (newest first) whose verdicts' evidence the board spells out. */
    private static final int EVIDENCE_RELEASES = 3;

    /**
     * One cell of the board; {@code progress} is null when the release's policy has no such ring. {@code held}: the
     * ring holds the release; {@code note} says why (or why it waits, or why an optional ring passed empty), or null.
     */
    public record Cell(
            String progress, String eta, boolean complete, boolean held, String note, AnalysisLine analysis) {}

    /** A ring's latest canary-analysis verdict on the board: outcome, the one-line numbers, what followed. */
    public record AnalysisLine(String outcome, boolean dryRun, String takenAt, String summary, String acted) {

        static AnalysisLine of(StoredVerdict verdict) {
            return new AnalysisLine(
                    verdict.outcome().name(),
                    verdict.dryRun(),
                    verdict.takenAt().toString(),
                    verdict.summary(),
                    verdict.acted());
        }
    }

    /** The evidence of one verdict: each metric's comparison. */
    public record Evidence(
            String release, String ring, AnalysisLine verdict, List<MetricRow> metrics, int canaries, int controls) {}

    /** One metric of a verdict, as text: how canary and control compared and the statistic that decided. */
    public record MetricRow(
            String metric, String outcome, String canary, String control, String statistic, String explanation) {

        static MetricRow of(MetricResult m) {
            return new MetricRow(
                    m.metric().jsonName(),
                    m.outcome().name(),
                    summary(m.canary()),
                    summary(m.control()),
                    statistic(m),
                    m.explanation());
        }

        private static String summary(io.reefline.rollout.domain.analysis.Summary s) {
            if (s == null || s.samples() == 0) {
                return "no data";
            }
            return String.format(
                    java.util.Locale.ROOT,
                    "mean %.4g, median %.4g, p90 %.4g (%d windows, %d instances)",
                    s.mean(),
                    s.median(),
                    s.p90(),
                    s.samples(),
                    s.instances());
        }

        private static String statistic(MetricResult m) {
            List<String> parts = new ArrayList<>();
            parts.add(m.test().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            if (m.u() != null) {
                parts.add(String.format(java.util.Locale.ROOT, "U=%.1f", m.u()));
            }
            if (m.z() != null) {
                parts.add(String.format(java.util.Locale.ROOT, "z=%.2f", m.z()));
            }
            if (m.pValue() != null) {
                parts.add(String.format(java.util.Locale.ROOT, "p=%.3g", m.pValue()));
            }
            if (m.bound() != null) {
                parts.add(String.format(java.util.Locale.ROOT, "bound %.4g", m.bound()));
            }
            return String.join(", ", parts);
        }
    }

    public record Row(String version, String channel, String registeredAt, boolean expedite, List<Cell> cells) {}

    /** One bar of the histogram: instances whose window opens in this UTC hour, over every reef. */
    public record Bar(int hour, int instances, int heightPercent) {}

    public record ForecastSummary(
            String version,
            String channel,
            String shipAt,
            String lastCustomer,
            String p50,
            String p90,
            String max,
            List<Bar> bars) {}

    private final Template page;
    private final UpgradeScheduler scheduler;
    private final Reefs reefs;
    private final ReleaseService releases;
    private final InventoryService inventory;
    private final SecurityIdentity identity;
    private final Clock clock;
    private final JpaCanaryAnalyses analyses;
    private final ObjectMapper json;

    ReefsPageResource(
            @Location("rollout/reefs.html") Template page,
            UpgradeScheduler scheduler,
            Reefs reefs,
            ReleaseService releases,
            InventoryService inventory,
            SecurityIdentity identity,
            Clock clock,
            JpaCanaryAnalyses analyses,
            ObjectMapper json) {
        this.analyses = analyses;
        this.json = json;
        this.page = page;
        this.scheduler = scheduler;
        this.reefs = reefs;
        this.releases = releases;
        this.inventory = inventory;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    public TemplateInstance show() {
        List<ReefResource.ReefView> reefViews =
                reefs.probed().stream().map(ReefResource::view).toList();
        List<Instance> fleet = inventory.fleet();
        List<RegisteredRelease> shown =
                releases.all().stream().limit(BOARD_ROWS).toList();
        Set<String> ringNames = new LinkedHashSet<>();
        List<List<RingProgress>> progress = new ArrayList<>();
        for (var plan : releases.plans(shown, fleet)) {
            List<RingProgress> rings = plan.rings();
            rings.forEach(r -> ringNames.add(r.ring()));
            progress.add(rings);
        }
        List<Row> rows = new ArrayList<>();
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < shown.size(); i++) {
            var entity = shown.get(i).entity();
            Map<String, StoredVerdict> verdicts = new java.util.HashMap<>();
            for (StoredVerdict verdict : analyses.verdicts(entity.version, null, 50)) {
                verdicts.putIfAbsent(verdict.ring(), verdict);
                if (i < EVIDENCE_RELEASES
                        && evidence.stream()
                                .noneMatch(e -> e.ring().equals(verdict.ring())
                                        && e.release().equals(verdict.releaseVersion()))) {
                    evidence(verdict).ifPresent(evidence::add);
                }
            }
            List<Cell> cells = new ArrayList<>();
            for (String ring : ringNames) {
                cells.add(progress.get(i).stream()
                        .filter(r -> r.ring().equals(ring))
                        .findFirst()
                        .map(r -> new Cell(
                                r.doneOfTotal(),
                                r.completesAt() == null ? "-" : r.completesAt().toString(),
                                r.done() == r.total() && !r.held(),
                                r.held(),
                                r.detail(),
                                Optional.ofNullable(verdicts.get(ring))
                                        .map(AnalysisLine::of)
                                        .orElse(null)))
                        .orElse(new Cell(null, null, false, false, null, null)));
            }
            rows.add(new Row(entity.version, entity.channel, entity.registeredAt.toString(), entity.expedite, cells));
        }
        return page.data("user", PageUser.of(identity))
                .data("instances", fleet.size())
                .data("ringNames", List.copyOf(ringNames))
                .data("rows", rows)
                .data("evidence", evidence)
                .data("forecast", shown.isEmpty() ? null : forecast(shown.get(0)))
                .data("reefs", reefViews)
                .data(
                        "unreachable",
                        reefViews.stream()
                                .filter(r -> "unreachable".equals(r.state()))
                                .toList())
                .data("leader", scheduler.leader())
                .data("lastTick", scheduler.lastTick().orElse(null))
                .data("upgrades", recentUpgrades());
    }

    /** The numbers behind a ring's latest verdict, read back from what was stored with it. */
    private Optional<Evidence> evidence(StoredVerdict verdict) {
        return analyses.latestEvidence(verdict.releaseVersion(), verdict.ring()).flatMap(text -> {
            try {
                Verdict stored = json.readValue(text, Verdict.class);
                return Optional.of(new Evidence(
                        verdict.releaseVersion(),
                        verdict.ring(),
                        AnalysisLine.of(verdict),
                        stored.metrics().stream().map(MetricRow::of).toList(),
                        stored.canaryInstances().size(),
                        stored.controlInstances()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                return Optional.empty();
            }
        });
    }

    /** Running upgrades first, then the latest finished ones. */
    private static List<UpgradeView> recentUpgrades() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UpgradeView> shown = new ArrayList<>();
            UpgradeEntity.running().forEach(u -> shown.add(UpgradeView.of(u)));
            UpgradeEntity.<UpgradeEntity>find(
                            "state not in ?1",
                            Sort.by("plannedAt").descending().and("id", Sort.Direction.Descending),
                            UpgradeState.RUNNING)
                    .page(0, RECENT_UPGRADES)
                    .list()
                    .forEach(u -> shown.add(UpgradeView.of(u)));
            return shown;
        });
    }

    private ForecastSummary forecast(RegisteredRelease newest) {
        Forecast forecast = releases.forecast(new ReleaseService.ForecastQuestion(
                Optional.of(newest.release().version()),
                Optional.empty(),
                Optional.empty(),
                clock.instant(),
                Optional.empty(),
                null));
        int[] byHour = new int[24];
        for (Map<Integer, Integer> hours : forecast.windowStartsByReefAndHour().values()) {
            hours.forEach((hour, n) -> byHour[hour] += n);
        }
        int highest = 1;
        for (int n : byHour) {
            highest = Math.max(highest, n);
        }
        List<Bar> bars = new ArrayList<>();
        for (int hour = 0; hour < 24; hour++) {
            bars.add(new Bar(hour, byHour[hour], byHour[hour] * 100 / highest));
        }
        Forecast.LeadTimes lead = forecast.leadTimes();
        return new ForecastSummary(
                forecast.version().toString(),
                forecast.channel(),
                forecast.shipAt().toString(),
                forecast.lastCustomer() == null ? "-" : forecast.lastCustomer().toString(),
                human(lead.p50()),
                human(lead.p90()),
                human(lead.max()),
                bars);
    }

    /** {@code 4d 3h} rather than {@code PT99H}, as the talk writes lead times. */
    static String human(Duration duration) {
        if (duration == null) {
            return "-";
        }
        long days = duration.toDays();
        long hours = duration.toHoursPart();
        long minutes = duration.toMinutesPart();
        return days > 0 ? days + "d " + hours + "h" : hours > 0 ? hours + "h " + minutes + "m" : minutes + "m";
    }
}
