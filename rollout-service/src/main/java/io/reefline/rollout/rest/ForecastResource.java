package io.reefline.rollout.rest;

import com.fasterxml.jackson.annotation.JsonFormat;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.security.Roles;
import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.plan.Forecast;
import io.reefline.rollout.domain.plan.PlanReason;
import io.reefline.rollout.rest.ReleaseViews.InstancePlanView;
import io.reefline.rollout.rest.ReleaseViews.RingView;
import io.reefline.rollout.service.PolicyDocument;
import io.reefline.rollout.service.PolicyService;
import io.reefline.rollout.service.ReleaseService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/** "If version V ships at T, when does each ring finish and when does the last customer get it?" */
@Path("/api/forecast")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ForecastResource {

    /**
     * The question. {@code version} or {@code image} (its tag is the version) names the release; {@code channel} is
     * the channel of a release that is not registered (default {@code stable}; a registered one has its own);
     * {@code releaseTime} defaults to now; {@code policy} replaces the stored policy for this answer only; {@code seed}
     * replays a canary draw (a registered release uses its own).
     */
    public record ForecastRequest(
            String version, String image, String channel, Instant releaseTime, PolicyDocument policy, Long seed) {}

    /** Nearest-rank lead times from ship time to every non-laggard instance reached. */
    public record LeadTimesView(
            int reached,
            int unreached,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration p50,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration p90,
            @JsonFormat(shape = JsonFormat.Shape.STRING) Duration max) {}

    /** A canary ring drawn short: {@code drawn} of {@code target}, as only {@code fitting} eligible instances fit. */
    public record ShortfallView(String ring, int target, int drawn, int eligible, int fitting) {}

    /**
     * The answer. {@code windowHistogram}: per reef, how many instances' first window after ship time opens in each UTC
     * hour; {@code spillOver}: per UTC day, how many upgrades the in-flight limit pushed out of that day's window;
     * {@code canaryShortfalls}: canary rings drawn short of their target because too few windows fit their deadline;
     * {@code warnings}: those and the rings that hold the release, in words.
     */
    public record ForecastView(
            String version,
            String channel,
            Instant shipAt,
            Instant lastCustomer,
            LeadTimesView leadTimes,
            List<RingView> rings,
            Map<String, Integer> notPlanned,
            SortedMap<String, SortedMap<Integer, Integer>> windowHistogram,
            SortedMap<LocalDate, Integer> spillOver,
            List<ShortfallView> canaryShortfalls,
            List<String> warnings,
            List<InstancePlanView> instances) {}

    private final ReleaseService releases;
    private final Clock clock;

    ForecastResource(ReleaseService releases, Clock clock) {
        this.releases = releases;
        this.clock = clock;
    }

    @POST
    @RolesAllowed({Roles.VIEWER, Roles.SERVICE})
    public ForecastView forecast(ForecastRequest request) {
        if (request == null || (blank(request.version()) && blank(request.image()))) {
            throw ProblemException.badRequest("version", "give version or image");
        }
        Optional<Version> version = Optional.empty();
        if (!blank(request.version())) {
            try {
                version = Optional.of(Version.parse(request.version()));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("version", e.getMessage());
            }
        }
        Optional<String> channel = blank(request.channel()) ? Optional.empty() : Optional.of(request.channel());
        channel.flatMap(Channel::problem).ifPresent(problem -> {
            throw ProblemException.badRequest("channel", problem);
        });
        Forecast forecast = releases.forecast(new ReleaseService.ForecastQuestion(
                version,
                blank(request.image())
                        ? Optional.empty()
                        : Optional.of(request.image().strip()),
                channel,
                request.releaseTime() == null ? clock.instant() : request.releaseTime(),
                Optional.ofNullable(request.policy()).map(PolicyService::parseOrReject),
                request.seed()));
        return view(forecast);
    }

    public static ForecastView view(Forecast forecast) {
        Forecast.LeadTimes lead = forecast.leadTimes();
        Map<String, Integer> notPlanned = new LinkedHashMap<>();
        forecast.notPlannedByReason()
                .forEach((PlanReason reason, Integer n) -> notPlanned.put(ReleaseViews.code(reason), n));
        return new ForecastView(
                forecast.version().toString(),
                forecast.channel(),
                forecast.shipAt(),
                forecast.lastCustomer(),
                new LeadTimesView(lead.reached(), lead.unreached(), lead.p50(), lead.p90(), lead.max()),
                forecast.rings().stream().map(RingView::of).toList(),
                notPlanned,
                forecast.windowStartsByReefAndHour(),
                forecast.spillsByDay(),
                forecast.canaryShortfalls().stream()
                        .map(c -> new ShortfallView(c.ring(), c.target(), c.drawn(), c.eligible(), c.fitting()))
                        .toList(),
                forecast.warnings(),
                forecast.instances().stream().map(InstancePlanView::of).toList());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
