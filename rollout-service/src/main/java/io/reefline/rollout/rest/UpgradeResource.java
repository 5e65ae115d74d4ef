package io.reefline.rollout.rest;

import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Roles;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.upgrade.UpgradeScheduler;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The upgrades the scheduler ran or runs, newest first, and what the scheduler itself is doing. */
@Path("/api/upgrades")
@Produces(MediaType.APPLICATION_JSON)
public class UpgradeResource {

    /** One upgrade as the API shows it. */
    public record UpgradeView(
            long id,
            String instanceId,
            String reef,
            String release,
            String ring,
            String state,
            String reason,
            String previousImage,
            String targetImage,
            Instant plannedAt,
            Instant startedAt,
            Instant availableAt,
            Instant failedAt,
            Instant finishedAt,
            int checksPassed,
            int checkFailures) {

        public static UpgradeView of(UpgradeEntity u) {
            return new UpgradeView(
                    u.id,
                    u.instanceId,
                    u.reef,
                    u.releaseVersion,
                    u.ring,
                    u.state.name().toLowerCase(Locale.ROOT),
                    u.reason,
                    u.previousImage,
                    u.targetImage,
                    u.plannedAt,
                    u.startedAt,
                    u.availableAt,
                    u.failedAt,
                    u.finishedAt,
                    u.checksPassed,
                    u.checkFailures);
        }
    }

    /** A reef as the scheduler sees it: its consecutive failed calls and when it is tried again. */
    public record ReefCalls(String reef, String state, int failures, String lastError, Instant retryAt) {}

    public record SchedulerView(
            boolean leader, io.reefline.rollout.upgrade.reconcile.TickReport lastTick, List<ReefCalls> reefs) {}

    private final UpgradeScheduler scheduler;
    private final Reefs reefs;

    UpgradeResource(UpgradeScheduler scheduler, Reefs reefs) {
        this.scheduler = scheduler;
        this.reefs = reefs;
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    @Transactional
    public Page<UpgradeView> list(
            @QueryParam("release") String release,
            @QueryParam("instance") String instance,
            @QueryParam("reef") String reef,
            @QueryParam("state") String state,
            @Valid @BeanParam PageRequest paging) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (release != null && !release.isBlank()) {
            where.append(" and releaseVersion = :release");
            params.and("release", release.strip());
        }
        if (instance != null && !instance.isBlank()) {
            where.append(" and instanceId = :instance");
            params.and("instance", instance.strip());
        }
        if (reef != null && !reef.isBlank()) {
            where.append(" and reef = :reef");
            params.and("reef", reef.strip());
        }
        if (state != null && !state.isBlank()) {
            where.append(" and state = :state");
            params.and("state", state(state));
        }
        var query = UpgradeEntity.<UpgradeEntity>find(
                where.toString(), Sort.by("plannedAt").descending().and("id", Sort.Direction.Descending), params);
        long total = query.count();
        return Page.of(
                paging,
                total,
                query.range(paging.firstResult(), paging.firstResult() + paging.size() - 1).list().stream()
                        .map(UpgradeView::of)
                        .toList());
    }

    @GET
    @Path("scheduler")
    @RolesAllowed(Roles.VIEWER)
    public SchedulerView scheduler() {
        return new SchedulerView(
                scheduler.leader(),
                scheduler.lastTick().orElse(null),
                reefs.all().stream().map(UpgradeResource::calls).toList());
    }

    public static ReefCalls calls(Reef reef) {
        Reef.UpgradeCalls calls = reef.upgradeCalls();
        return new ReefCalls(
                reef.name(),
                calls.failures() == 0 ? "ok" : "backing off",
                calls.failures(),
                calls.lastError(),
                calls.retryAt());
    }

    private static UpgradeState state(String text) {
        try {
            return UpgradeState.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(
                    "state",
                    "must be one of "
                            + Arrays.stream(UpgradeState.values())
                                    .map(s -> s.name().toLowerCase(Locale.ROOT))
                                    .toList());
        }
    }
}
