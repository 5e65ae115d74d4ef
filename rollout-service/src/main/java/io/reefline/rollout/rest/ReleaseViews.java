package io.reefline.rollout.rest;

import io.reefline.rollout.domain.canary.CanarySelection;
import io.reefline.rollout.domain.plan.InstancePlan;
import io.reefline.rollout.domain.plan.RingProgress;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;

/** How releases, their rings, canaries and plans look on the wire. */
public final class ReleaseViews {

    private ReleaseViews() {}

    /**
     * A ring of a release on the board: the talk's "5/12" and the planner's ETA. {@code held}: this ring keeps the
     * later ones from opening, {@code reason} and {@code detail} say why (also why a ring waits, or why an optional
     * ring passed without members); null when there is nothing to say.
     */
    public record RingView(
            String ring,
            String progress,
            int done,
            int total,
            int inFlight,
            int scheduled,
            int notPlanned,
            Instant opensAt,
            Instant eta,
            boolean held,
            String reason,
            String detail) {

        public static RingView of(RingProgress ring) {
            return new RingView(
                    ring.ring(),
                    ring.doneOfTotal(),
                    ring.done(),
                    ring.total(),
                    ring.inFlight(),
                    ring.scheduled(),
                    ring.notPlanned(),
                    ring.opensAt(),
                    ring.completesAt(),
                    ring.held(),
                    ring.reason() == null ? null : code(ring.reason()),
                    ring.detail());
        }
    }

    /** One random canary ring's draw: the seed it can be replayed from and why each instance was chosen. */
    public record CanaryView(
            String ring,
            double percent,
            long seed,
            int rotation,
            int eligible,
            int target,
            SortedMap<String, Integer> quotaByReef,
            boolean rotationRelaxed,
            List<CanarySelection.Choice> chosen,
            int excluded,
            int fitting,
            int shortfall) {

        public static CanaryView of(CanarySelection selection) {
            return new CanaryView(
                    selection.ring(),
                    selection.percent(),
                    selection.seed(),
                    selection.rotation(),
                    selection.eligible(),
                    selection.target(),
                    selection.quotaByReef(),
                    selection.rotationRelaxed(),
                    selection.chosen(),
                    selection.excluded().size(),
                    selection.fitting(),
                    selection.shortfall());
        }
    }

    /** A release in the list: what it is and how far each ring has got. */
    public record ReleaseSummary(
            String version,
            String image,
            String channel,
            Instant createdAt,
            Instant registeredAt,
            String registeredBy,
            boolean expedite,
            boolean ignoreWindows,
            List<RingView> rings) {}

    /** One release in full. */
    public record ReleaseDetail(
            String version,
            String image,
            String channel,
            List<String> commits,
            Instant createdAt,
            Instant registeredAt,
            String registeredBy,
            boolean expedite,
            boolean ignoreWindows,
            String ignoreWindowsReason,
            long seed,
            List<RingView> rings,
            List<CanaryView> canaries) {}

    /** The planner's decision for one instance, with its reason as a code and in words. */
    public record InstancePlanView(
            String instanceId,
            String reef,
            String ring,
            String target,
            String status,
            Instant start,
            Instant finish,
            String reason,
            String detail,
            int spills,
            Instant spilledFrom) {

        public static InstancePlanView of(InstancePlan plan) {
            return new InstancePlanView(
                    plan.instanceId(),
                    plan.reef(),
                    plan.ring(),
                    plan.target() == null ? null : plan.target().toString(),
                    code(plan.status()),
                    plan.start(),
                    plan.finish(),
                    plan.reason() == null ? null : code(plan.reason()),
                    plan.detail(),
                    plan.spills(),
                    plan.spilledFrom());
        }
    }

    /** The plan of a release, one page of instances at a time. */
    public record PlanView(
            String version,
            Instant now,
            Instant releaseTime,
            List<RingView> rings,
            int page,
            int size,
            int total,
            List<InstancePlanView> instances) {}

    static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
