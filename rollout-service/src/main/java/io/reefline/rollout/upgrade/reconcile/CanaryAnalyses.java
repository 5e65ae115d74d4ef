package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.upgrade.Upgrade;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** What canary analysis reads (the instances' signal windows, a release's upgrades) and where its verdicts go. */
public interface CanaryAnalyses {

    /** Every upgrade of the release, in any state. */
    List<Upgrade> upgradesOf(String releaseVersion);

    /** The windows of these reefs' instances that start in [{@code from}, {@code to}). */
    List<Sample> samples(Collection<String> reefs, Instant from, Instant to);

    /** The latest verdict on a release's ring, if any was taken. */
    Optional<StoredVerdict> latest(String releaseVersion, String ring);

    /**
     * Stores a verdict and what followed from it, with {@code events} (a cord) in the same transaction, fenced by the
     * leadership term like every write of the loop.
     */
    void record(
            String releaseVersion,
            String ring,
            Verdict verdict,
            boolean dryRun,
            String acted,
            List<OutgoingEvent> events,
            Instant takenAt,
            long fence);

    /** A verdict as stored: what the board and the next tick need of it. */
    record StoredVerdict(
            String releaseVersion,
            String ring,
            Outcome outcome,
            boolean dryRun,
            Instant takenAt,
            String summary,
            String acted) {}
}
