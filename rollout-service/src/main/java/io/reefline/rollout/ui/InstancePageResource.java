package io.reefline.rollout.ui;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.security.Roles;
import io.reefline.platform.ui.PageUser;
import io.reefline.rollout.analysis.SignalStore;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.domain.window.WindowParseException;
import io.reefline.rollout.persistence.InstanceEntity;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.rest.UpgradeResource.UpgradeView;
import io.reefline.rollout.service.InventoryService;
import io.reefline.rollout.service.PolicyService;
import io.reefline.rollout.service.ReleaseService;
import io.reefline.rollout.upgrade.JpaCanaryAnalyses;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One customer instance: what it runs, its window and next slot, where the newest releases stand for it, and every
 * upgrade it went through.
 */
@Path("/ui/instances")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class InstancePageResource {

    /** Where one release (the newest of its channel) stands for this instance. */
    public record Outlook(String release, String ring, String status, String start, String detail) {}

    private final Template page;
    private final InventoryService inventory;
    private final ReleaseService releases;
    private final PolicyService policies;
    private final SecurityIdentity identity;
    private final Clock clock;
    private final JpaCanaryAnalyses analyses;
    private final SignalStore signals;

    /** The instance's most recent signal windows shown. */
    static final int SIGNAL_ROWS = 12;

    /** A verdict on a ring this instance was upgraded in. */
    public record InstanceVerdict(String release, String ring, ReefsPageResource.AnalysisLine verdict) {}

    /** One signal window as the page shows it. */
    public record SignalRow(
            String from,
            String version,
            String requests,
            String errorRate,
            String latency,
            String health,
            int restarts) {

        static SignalRow of(Sample s) {
            return new SignalRow(
                    s.from() + " .. " + s.to().toString().substring(11),
                    s.version(),
                    s.requests() == null ? "-" : String.valueOf(s.requests()),
                    s.requests() == null || s.requests() == 0 || s.errors() == null
                            ? "-"
                            : String.format(java.util.Locale.ROOT, "%.2f%%", 100.0 * s.errors() / s.requests()),
                    s.latencyMs() == null ? "-" : String.format(java.util.Locale.ROOT, "%.0f ms", s.latencyMs()),
                    (s.healthChecks() - s.healthFailures()) + "/" + s.healthChecks() + " passed",
                    s.restarts());
        }
    }

    InstancePageResource(
            @Location("rollout/instance.html") Template page,
            InventoryService inventory,
            ReleaseService releases,
            PolicyService policies,
            SecurityIdentity identity,
            Clock clock,
            JpaCanaryAnalyses analyses,
            SignalStore signals) {
        this.analyses = analyses;
        this.signals = signals;
        this.page = page;
        this.inventory = inventory;
        this.releases = releases;
        this.policies = policies;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @Path("{id}")
    public TemplateInstance show(@PathParam("id") String id) {
        InstanceEntity instance = inventory.find(id);
        Instant now = clock.instant();
        Duration expected = policies.current().policy().expectedUpgrade();
        String nextSlot;
        try {
            nextSlot = instance.windowText == null
                    ? "no window"
                    : MaintenanceWindow.parse(instance.windowText)
                            .nextSlot(now, expected)
                            .map(Instant::toString)
                            .orElse("none: the window is shorter than an upgrade (" + expected + ")");
        } catch (WindowParseException e) {
            nextSlot = "unknown: the window does not parse";
        }
        List<Outlook> outlook = new ArrayList<>();
        if (instance.valid) {
            for (var release : releases.newestPerChannel()) {
                InstancePlan plan = releases.plan(release).instance(id).orElse(null);
                if (plan != null) {
                    outlook.add(new Outlook(
                            release.entity().version,
                            plan.ring() == null ? "-" : plan.ring(),
                            plan.status()
                                    .name()
                                    .toLowerCase(java.util.Locale.ROOT)
                                    .replace('_', ' '),
                            plan.start() == null ? "-" : plan.start().toString(),
                            plan.detail()));
                }
            }
        }
        return page.data("user", PageUser.of(identity))
                .data("instance", instance)
                .data("errors", inventory.errors(instance))
                .data("pin", instance.effectivePin().name().toLowerCase(java.util.Locale.ROOT))
                .data("nextSlot", nextSlot)
                .data("expected", expected.toString())
                .data("outlook", outlook)
                .data("history", history(id))
                .data("verdicts", verdicts(history(id)))
                .data(
                        "signals",
                        signals.ofInstance(id, 0, SIGNAL_ROWS).stream()
                                .map(SignalRow::of)
                                .toList());
    }

    /** The latest verdict of every ring this instance was upgraded in (it was one of the compared instances). */
    private List<InstanceVerdict> verdicts(List<UpgradeView> history) {
        List<InstanceVerdict> verdicts = new ArrayList<>();
        for (UpgradeView upgrade : history) {
            if (upgrade.ring() == null) {
                continue;
            }
            analyses.latest(upgrade.release(), upgrade.ring())
                    .ifPresent(v -> verdicts.add(new InstanceVerdict(
                            upgrade.release(), upgrade.ring(), ReefsPageResource.AnalysisLine.of(v))));
        }
        return verdicts;
    }

    private static List<UpgradeView> history(String id) {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.ofInstance(id).stream()
                        .map(UpgradeView::of)
                        .toList());
    }
}
