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
import io.reefline.rollout.upgrade.JpaCanaryAnalyses;
import io.reefline.rollout.upgrade.reconcile.CanaryAnalyses.StoredVerdict;
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

    /** The latest verdict of one ring, with its evidence (the numbers that led to it). */
    public record RingAnalysis(
            String ring,
            String outcome,
            boolean dryRun,
            java.time.Instant takenAt,
            String summary,
            String acted,
            com.fasterxml.jackson.databind.JsonNode evidence) {}

    /** A release's canary analysis: each ring's latest verdict with evidence, then the verdicts before, newest first. */
    public record AnalysisView(String release, List<RingAnalysis> latest, List<StoredVerdict> history) {}

    /** How many earlier verdicts the analysis view lists. */
    static final int ANALYSIS_HISTORY = 200;

    private final JpaCanaryAnalyses analyses;
    private final com.fasterxml.jackson.databind.ObjectMapper json;

    ReleaseResource(
            ReleaseService releases,
            SecurityIdentity identity,
            Clock clock,
            JpaCanaryAnalyses analyses,
            com.fasterxml.jackson.databind.ObjectMapper json) {
        this.analyses = analyses;
        this.json = json;
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
    @Path("{version}/analysis")
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public AnalysisView analysis(@PathParam("version") String version) {
        RegisteredRelease release = releases.find(version);
        String stored = release.entity().version;
        List<StoredVerdict> history = analyses.verdicts(stored, null, ANALYSIS_HISTORY);
        List<RingAnalysis> latest = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (StoredVerdict verdict : history) {
            if (seen.add(verdict.ring())) {
                latest.add(new RingAnalysis(
                        verdict.ring(),
                        verdict.outcome().name(),
                        verdict.dryRun(),
                        verdict.takenAt(),
                        verdict.summary(),
                        verdict.acted(),
                        analyses.latestEvidence(stored, verdict.ring())
                                .map(this::parse)
                                .orElse(null)));
            }
        }
        return new AnalysisView(stored, latest, history);
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String evidence) {
        try {
            return json.readTree(evidence);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json.getNodeFactory().textNode(evidence);
        }
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
