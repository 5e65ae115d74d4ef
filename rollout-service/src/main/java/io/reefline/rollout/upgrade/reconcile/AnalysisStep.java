package io.reefline.rollout.upgrade.reconcile;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.analysis.AnalysisSpec;
import io.reefline.rollout.domain.analysis.CanaryAnalysis;
import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.CanaryAnalyses.StoredVerdict;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Canary analysis in the loop. For each ring of a release whose policy asks for analysis, once the ring has upgraded
 * instances: at most once per the analysis' interval, the ring's upgraded instances (on the new version, since each
 * became available) are compared with the other instances of the same reefs while they ran an older version (their
 * windows before their own upgrade count too), over the same interval, and the verdict is stored with its numbers.
 * Then:
 *
 * <ul>
 *   <li><b>FAIL</b>: the cord is pulled for the release (with the evidence, when the release first reached an
 *       instance and when this was detected) in the same transaction as the verdict, and nothing of the release
 *       starts any more; nothing is restored (always forward: the fix is a newer release). The verdict stands.
 *   <li><b>INCONCLUSIVE</b>: the soak is extended: no later ring starts; after the ring's deadline the release is held
 *       with that reason.
 *   <li><b>PASS</b>: later rings may start (when the planner opens them). The verdict stands.
 * </ul>
 *
 * A dry run records every verdict and acts on none.
 */
final class AnalysisStep {

    /**
     * What analysis allows of a release this tick: rings after {@code lastRing} (an index) may not start; nothing
     * starts when {@code stopped}.
     */
    record Allowance(int lastRing, boolean stopped) {

        static final Allowance ALL = new Allowance(Integer.MAX_VALUE, false);
        static final Allowance NONE = new Allowance(-1, true);

        boolean allows(int ringIndex) {
            return !stopped && ringIndex <= lastRing;
        }
    }

    /** The most instances an evidence lists by name. */
    static final int EVIDENCE_INSTANCES = 40;

    private static final Logger LOG = Logger.getLogger(AnalysisStep.class.getName());

    private AnalysisStep() {}

    static Allowance apply(TickContext ctx, CanaryAnalyses analyses, ActiveRelease release) {
        List<Ring> rings = release.policy().rings();
        List<Upgrade> upgrades = null;
        for (int k = 0; k < rings.size(); k++) {
            Ring ring = rings.get(k);
            AnalysisSpec spec = ring.analysis();
            if (spec == null) {
                continue;
            }
            Optional<StoredVerdict> latest = analyses.latest(release.version(), ring.name());
            StoredVerdict current = latest.orElse(null);
            boolean decided = current != null && !current.dryRun() && current.outcome() != Outcome.INCONCLUSIVE;
            if (decided && !spec.dryRun()) {
                if (current.outcome() == Outcome.FAIL) {
                    return stopped(ctx, release, ring, current);
                }
                continue; // a PASS stands: no need to read the ring's upgrades again
            }
            if (upgrades == null) {
                upgrades = analyses.upgradesOf(release.version());
            }
            List<Upgrade> inRing = upgrades.stream()
                    .filter(u -> ring.name().equals(u.ring) && u.state != UpgradeState.CANCELLED)
                    .toList();
            if (inRing.isEmpty()) {
                // Not reached yet, or an empty ring: the planner holds or passes it as it does without analysis.
                continue;
            }
            List<Upgrade> canaries = inRing.stream()
                    .filter(u -> u.availableAt != null
                            && (u.state == UpgradeState.VERIFYING || u.state == UpgradeState.SUCCEEDED))
                    .toList();
            boolean due = current == null || !ctx.now.isBefore(current.takenAt().plus(spec.interval()));
            if (!decided && due && !canaries.isEmpty()) {
                current = look(ctx, analyses, release, ring, spec, upgrades, inRing, canaries);
            }
            if (spec.dryRun()) {
                continue;
            }
            if (current == null || current.dryRun()) {
                ctx.hold(release.version() + ": ring " + ring.name() + " waits for its first canary analysis");
                return new Allowance(k, false);
            }
            switch (current.outcome()) {
                case PASS -> {}
                case FAIL -> {
                    return stopped(ctx, release, ring, current);
                }
                case INCONCLUSIVE -> {
                    ctx.hold(release.version() + ": ring " + ring.name() + " " + current.acted() + ": "
                            + current.summary());
                    return new Allowance(k, false);
                }
            }
        }
        return Allowance.ALL;
    }

    /** A FAIL stands: nothing more of the release starts, and the tick says why. */
    private static Allowance stopped(TickContext ctx, ActiveRelease release, Ring ring, StoredVerdict verdict) {
        ctx.hold(release.version() + ": canary analysis failed in ring " + ring.name() + ": " + verdict.summary());
        return Allowance.NONE;
    }

    private static StoredVerdict look(
            TickContext ctx,
            CanaryAnalyses analyses,
            ActiveRelease release,
            Ring ring,
            AnalysisSpec spec,
            List<Upgrade> upgrades,
            List<Upgrade> inRing,
            List<Upgrade> canaries) {
        Map<String, Instant> availableAt = new HashMap<>();
        Set<String> reefs = new TreeSet<>();
        Instant observedSince = null;
        for (Upgrade canary : canaries) {
            availableAt.put(canary.instanceId, canary.availableAt);
            reefs.add(canary.reef);
            observedSince = observedSince == null || canary.availableAt.isBefore(observedSince)
                    ? canary.availableAt
                    : observedSince;
        }
        Instant from = later(observedSince, ctx.now.minus(spec.lookback()));
        Version target = Version.parse(release.version());
        List<Sample> canary = new ArrayList<>();
        List<Sample> control = new ArrayList<>();
        for (Sample sample : analyses.samples(reefs, from, ctx.now)) {
            Instant since = availableAt.get(sample.instanceId());
            if (since != null) {
                if (!sample.from().isBefore(since) && Version.same(sample.version(), release.version())) {
                    canary.add(sample);
                }
            } else if (Version.tryParse(sample.version())
                    .map(v -> v.compareTo(target) < 0)
                    .orElse(false)) {
                control.add(sample);
            }
        }
        Verdict verdict = CanaryAnalysis.judge(spec, canary, control, observedSince, ctx.now);
        String acted;
        List<OutgoingEvent> events = List.of();
        String next = "later rings";
        switch (verdict.outcome()) {
            case FAIL -> {
                if (spec.dryRun()) {
                    acted = "dry run: would have pulled the cord for release:" + release.version();
                } else {
                    acted = "pulled the cord for release:" + release.version() + "; nothing more of it starts";
                    events = List.of(ctx.events.analysisCord(
                            release.version(), ring.name(), verdict, firstStart(upgrades), ctx.now));
                }
            }
            case PASS -> acted = spec.dryRun() ? "dry run: would have let " + next + " open" : next + " may open";
            default -> {
                Instant deadline = firstStart(inRing).plus(ring.deadline());
                acted = spec.dryRun()
                        ? "dry run: would have extended the soak"
                        : ctx.now.isBefore(deadline)
                                ? "extends its soak until the analysis decides (ring deadline " + deadline + ")"
                                : "is held: the analysis is still inconclusive after the ring's deadline " + deadline;
            }
        }
        analyses.record(release.version(), ring.name(), verdict, spec.dryRun(), acted, events, ctx.now, ctx.fence);
        if (verdict.outcome() == Outcome.FAIL && !spec.dryRun() && spec.restoreFailedCanaries()) {
            restoreSoaking(ctx, canaries, release.version(), ring.name(), verdict);
        }
        LOG.log(
                verdict.outcome() == Outcome.INCONCLUSIVE ? Level.FINE : Level.INFO,
                () -> "Canary analysis of " + release.version() + " in ring " + ring.name() + ": " + verdict.summary()
                        + "; " + acted);
        return new StoredVerdict(
                release.version(), ring.name(), verdict.outcome(), spec.dryRun(), ctx.now, verdict.summary(), acted);
    }

    /**
     * The policy asks for failing canaries to be restored: each upgrade of the ring still in its soak fails (its cord is
     * the analysis' one) and the restore step gives it its previous image back on the next tick. An upgrade that already
     * succeeded stays: its record is final, and the way forward is a newer release.
     */
    private static void restoreSoaking(
            TickContext ctx, List<Upgrade> canaries, String version, String ring, Verdict verdict) {
        String reason = "canary analysis failed " + version + " in ring " + ring + " (" + verdict.summary()
                + "); the policy restores failing canaries";
        for (Upgrade canary : canaries) {
            if (canary.state != UpgradeState.VERIFYING) {
                continue;
            }
            ctx.transition(
                            canary,
                            u -> {
                                u.state = UpgradeState.FAILED;
                                u.failedAt = ctx.now;
                                u.reason = reason.length() > 2000 ? reason.substring(0, 1997) + "..." : reason;
                                u.cordEventId = UpgradeEvents.analysisCordId(version, ring);
                                TickContext.callWentThrough(u);
                            },
                            ctx.events::failedByAnalysis)
                    .ifPresent(u -> ctx.failed.incrementAndGet());
        }
    }

    private static Instant firstStart(List<Upgrade> upgrades) {
        Instant first = null;
        for (Upgrade u : upgrades) {
            Instant at = u.startedAt != null ? u.startedAt : u.plannedAt;
            if (at != null && (first == null || at.isBefore(first))) {
                first = at;
            }
        }
        return first;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
