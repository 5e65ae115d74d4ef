package io.reefline.rollout.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.plan.Plan;
import io.reefline.rollout.rest.ReleaseViews.CanaryView;
import io.reefline.rollout.rest.ReleaseViews.InstancePlanView;
import io.reefline.rollout.rest.ReleaseViews.PlanView;
import io.reefline.rollout.rest.ReleaseViews.ReleaseDetail;
import io.reefline.rollout.rest.ReleaseViews.ReleaseSummary;
import io.reefline.rollout.rest.ReleaseViews.RingView;
import io.reefline.rollout.service.ReleaseService;
import io.reefline.rollout.service.ReleaseService.RegisteredRelease;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Releases registered by CI, their canaries, ring progress and per-instance plan. */
@Path("/api/releases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReleaseResource {

    private final ReleaseService releases;
    private final SecurityIdentity identity;
    private final Clock clock;

    ReleaseResource(ReleaseService releases, SecurityIdentity identity, Clock clock) {
        this.releases = releases;
        this.identity = identity;
        this.clock = clock;
    }

    @POST
    @RolesAllowed({Roles.OPERATOR, Roles.PUBLISHER})
    public Response register(@Valid @NotNull RegisterReleaseRequest request, UriInfo uri) {
        Version version;
        try {
            version = Version.parse(request.version());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("version", e.getMessage());
        }
        boolean ignoreWindows = Boolean.TRUE.equals(request.ignoreWindows());
        // A CI job publishes releases; overriding customers' maintenance windows or the soaks is a person's decision.
        if ((ignoreWindows || Boolean.TRUE.equals(request.expedite())) && !identity.hasRole(Roles.OPERATOR)) {
            throw new ProblemException(Problem.of(
                    Response.Status.FORBIDDEN,
                    "Only an operator may register a release with ignoreWindows or expedite; a publisher registers"
                            + " it plainly"));
        }
        if (ignoreWindows
                && (request.ignoreWindowsReason() == null
                        || request.ignoreWindowsReason().isBlank())) {
            throw ProblemException.badRequest(
                    "ignoreWindowsReason", "is required when ignoreWindows is true: say why windows may be ignored");
        }
        RegisteredRelease registered = releases.register(
                new ReleaseService.Registration(
                        version,
                        request.image().strip(),
                        request.channel() == null ? Channel.DEFAULT : request.channel(),
                        request.commits() == null ? List.of() : request.commits(),
                        request.createdAt() == null ? clock.instant() : request.createdAt(),
                        Boolean.TRUE.equals(request.expedite()),
                        ignoreWindows,
                        ignoreWindows ? request.ignoreWindowsReason().strip() : null),
                Caller.name(identity));
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(registered.entity().version)
                        .build())
                .entity(detail(registered, releases.plan(registered)))
                .build();
    }

    @GET
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public List<ReleaseSummary> list() {
        List<RegisteredRelease> all = releases.all();
        List<Plan> plans = releases.plans(all);
        List<ReleaseSummary> summaries = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            summaries.add(summary(all.get(i), plans.get(i)));
        }
        return summaries;
    }

    @GET
    @Path("{version}")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public ReleaseDetail get(@PathParam("version") String version) {
        RegisteredRelease release = releases.find(version);
        return detail(release, releases.plan(release));
    }

    @GET
    @Path("{version}/plan")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public PlanView plan(
            @PathParam("version") String version,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("500") @Min(1) @Max(5000) int size) {
        RegisteredRelease release = releases.find(version);
        Plan plan = releases.plan(release);
        int total = plan.instances().size();
        int from = (int) Math.min((long) page * size, total);
        int to = Math.min(from + size, total);
        return new PlanView(
                release.entity().version,
                plan.now(),
                plan.releaseTime(),
                plan.rings().stream().map(RingView::of).toList(),
                page,
                size,
                total,
                plan.instances().subList(from, to).stream()
                        .map(InstancePlanView::of)
                        .toList());
    }

    public static ReleaseSummary summary(RegisteredRelease release, Plan plan) {
        var entity = release.entity();
        return new ReleaseSummary(
                entity.version,
                entity.image,
                entity.channel,
                entity.createdAt,
                entity.registeredAt,
                entity.registeredBy,
                entity.expedite,
                entity.ignoreWindows,
                plan.rings().stream().map(RingView::of).toList());
    }

    private static ReleaseDetail detail(RegisteredRelease release, Plan plan) {
        var entity = release.entity();
        return new ReleaseDetail(
                entity.version,
                entity.image,
                entity.channel,
                release.release().commits(),
                entity.createdAt,
                entity.registeredAt,
                entity.registeredBy,
                entity.expedite,
                entity.ignoreWindows,
                entity.ignoreWindowsReason,
                entity.seed,
                plan.rings().stream().map(RingView::of).toList(),
                release.assignment().canaries().stream().map(CanaryView::of).toList());
    }
}
