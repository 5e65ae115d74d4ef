package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.policy.RingPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the planner looks at. The same shape serves a scheduler tick ({@code now} = the tick, real in-flight
 * upgrades and completion times) and a forecast ({@code now} = the ship time, nothing in flight).
 *
 * @param fleet the instances of the release's channel, in fleet order: instances of other channels are left out here
 * @param releaseTime when the first ring opened (or opens) for this release
 * @param completedAt when instances finished upgrading to this release, from the upgrade records; an instance already
 *     on the version without a record counts as done when its ring opened
 * @param failed instances whose upgrade to this release failed and was restored: never planned again for it, and
 *     their ring never completes, so no later ring opens (the fix is a newer release)
 */
public record PlanRequest(
        List<Instance> fleet,
        RingPolicy policy,
        Release release,
        Instant releaseTime,
        RingAssignment assignment,
        List<Freeze> freezes,
        GateState gate,
        List<InFlightUpgrade> inFlight,
        Map<String, Instant> completedAt,
        Set<String> failed,
        Instant now) {

    public PlanRequest {
        Objects.requireNonNull(release, "release");
        // Channels partition the fleet: a release plans only the instances of its channel, whoever calls.
        fleet = release.instancesOf(fleet);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(releaseTime, "releaseTime");
        Objects.requireNonNull(assignment, "assignment");
        freezes = List.copyOf(freezes);
        Objects.requireNonNull(gate, "gate");
        inFlight = List.copyOf(inFlight);
        completedAt = Map.copyOf(completedAt);
        failed = Set.copyOf(failed);
        Objects.requireNonNull(now, "now");
    }

    public static Builder builder(List<Instance> fleet, RingPolicy policy, Release release, RingAssignment assignment) {
        return new Builder(fleet, policy, release, assignment);
    }

    /** Defaults: the release's creation time, no freezes, gate open, nothing in flight, no completion records. */
    public static final class Builder {
        private final List<Instance> fleet;
        private final RingPolicy policy;
        private final Release release;
        private final RingAssignment assignment;
        private Instant releaseTime;
        private List<Freeze> freezes = List.of();
        private GateState gate = GateState.OPEN;
        private List<InFlightUpgrade> inFlight = List.of();
        private Map<String, Instant> completedAt = Map.of();
        private Set<String> failed = Set.of();

        private Builder(List<Instance> fleet, RingPolicy policy, Release release, RingAssignment assignment) {
            this.fleet = fleet;
            this.policy = policy;
            this.release = release;
            this.assignment = assignment;
            this.releaseTime = release.createdAt();
        }

        public Builder releaseTime(Instant releaseTime) {
            this.releaseTime = releaseTime;
            return this;
        }

        public Builder freezes(List<Freeze> freezes) {
            this.freezes = freezes;
            return this;
        }

        public Builder gate(GateState gate) {
            this.gate = gate;
            return this;
        }

        public Builder inFlight(List<InFlightUpgrade> inFlight) {
            this.inFlight = inFlight;
            return this;
        }

        public Builder completedAt(Map<String, Instant> completedAt) {
            this.completedAt = completedAt;
            return this;
        }

        /** Instances whose upgrade to this release failed: not tried again, and their ring does not complete. */
        public Builder failed(Set<String> failed) {
            this.failed = failed;
            return this;
        }

        public PlanRequest at(Instant now) {
            return new PlanRequest(
                    fleet, policy, release, releaseTime, assignment, freezes, gate, inFlight, completedAt, failed, now);
        }
    }
}
