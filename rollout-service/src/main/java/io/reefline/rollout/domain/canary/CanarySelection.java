package io.reefline.rollout.domain.canary;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The random canaries of one release and why each was (or was not) chosen.
 *
 * <p>How the draw works, so it can be replayed from its seed:
 *
 * <ol>
 *   <li>Eligible: active, not opted out, not pinned. Target: {@code ceil(percent x eligible)}.
 *   <li>Window fit: only eligible instances whose maintenance window offers a slot of the expected upgrade duration
 *       between the ring's earliest opening and that opening plus the ring's deadline can be drawn ({@link WindowFit});
 *       the others are excluded with the reason. When fewer fit than the target, all that fit are drawn and
 *       {@link #shortfall()} says how many are missing.
 *   <li>Stratified: each reef (and so each region, since a reef lives in one region) gets a quota proportional to its
 *       fitting eligible instances, by largest-remainder apportionment (ties to the reef name that sorts first), so
 *       every reef's quota is within one of its exact share and never above what it can give.
 *   <li>Rotation: within a reef, instances that were canaries in the last K releases are set aside. The rest are
 *       shuffled with {@code java.util.Random(seed)} (its algorithm is fixed by the Java specification, so a seed
 *       replays on any JVM), reefs in name order, instances sorted by id before the shuffle, and the quota is taken from
 *       the front.
 *   <li>Fallback: when a reef has fewer fresh instances than its quota, proportionality wins over rotation: the rest
 *       of the quota comes from that reef's set-aside instances, least recently used first (ties shuffled by the same
 *       random stream). {@link #rotationRelaxed()} says when this happened.
 * </ol>
 */
public record CanarySelection(
        String ring,
        double percent,
        long seed,
        int rotation,
        int eligible,
        int target,
        SortedMap<String, Integer> quotaByReef,
        List<Choice> chosen,
        List<Exclusion> excluded,
        boolean rotationRelaxed,
        int fitting,
        Instant fitFrom,
        Instant fitUntil) {

    /** An instance drawn as canary, with the reason in words. */
    public record Choice(String instanceId, String reef, String region, String reason) {}

    /** An instance that could not be drawn, with the reason in words. */
    public record Exclusion(String instanceId, String reason) {}

    /**
     * Which instances can finish a canary upgrade inside the ring's deadline: those whose window has a slot of
     * {@code expectedUpgrade} starting at or after {@code from} and ending by {@code until}. {@link #ANYWHERE} when
     * windows do not apply (the ring or the release ignores them): every instance fits.
     */
    public record WindowFit(Instant from, Instant until, Duration expectedUpgrade) {

        public static final WindowFit ANYWHERE = new WindowFit(null, null, null);

        public boolean windowsApply() {
            return from != null;
        }

        /** The first slot of {@code window} inside the interval, if any. */
        public Optional<Instant> slot(MaintenanceWindow window) {
            if (!windowsApply()) {
                return Optional.of(Instant.EPOCH);
            }
            return window.nextSlot(from, expectedUpgrade)
                    .filter(start -> !start.plus(expectedUpgrade).isAfter(until));
        }
    }

    /** Draws among {@code candidates} without looking at windows: every eligible instance counts as fitting. */
    public static CanarySelection draw(
            String ring,
            double percent,
            Collection<Instance> candidates,
            long seed,
            List<Set<String>> recentCanaries,
            int rotation) {
        return draw(ring, percent, candidates, seed, recentCanaries, rotation, WindowFit.ANYWHERE);
    }

    /**
     * Draws the canaries among {@code candidates} (instances no other ring has claimed).
     *
     * @param recentCanaries the canary instance ids of previous releases, most recent first; only the first
     *     {@code rotation} entries matter
     * @param fit which windows let an instance finish inside the ring's deadline; checked once per distinct window
     */
    public static CanarySelection draw(
            String ring,
            double percent,
            Collection<Instance> candidates,
            long seed,
            List<Set<String>> recentCanaries,
            int rotation,
            WindowFit fit) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be above 0 and at most 100: " + percent);
        }
        Map<String, Integer> releasesAgo = new HashMap<>();
        for (int i = Math.min(rotation, recentCanaries.size()) - 1; i >= 0; i--) {
            for (String id : recentCanaries.get(i)) {
                releasesAgo.put(id, i + 1);
            }
        }
        List<Exclusion> excluded = new ArrayList<>();
        SortedMap<String, List<Instance>> poolByReef = new TreeMap<>();
        Map<MaintenanceWindow, Optional<Instant>> slotOf = new HashMap<>();
        int eligible = 0;
        int fitting = 0;
        for (Instance instance : candidates) {
            if (instance.optedOut()) {
                excluded.add(new Exclusion(instance.id(), "opted out of automatic upgrades"));
            } else if (instance.isPinned()) {
                excluded.add(new Exclusion(instance.id(), "pinned to " + instance.pinnedRing()));
            } else if (!instance.active()) {
                excluded.add(new Exclusion(instance.id(), "inactive; canaries are drawn among active customers"));
            } else {
                eligible++;
                if (slotOf.computeIfAbsent(instance.window(), fit::slot).isEmpty()) {
                    excluded.add(new Exclusion(
                            instance.id(),
                            "window " + instance.window() + " has no " + fit.expectedUpgrade() + " slot between "
                                    + fit.from() + " and " + fit.until()
                                    + ": it could not finish inside ring " + ring + "'s deadline"));
                    continue;
                }
                poolByReef
                        .computeIfAbsent(instance.reef(), r -> new ArrayList<>())
                        .add(instance);
                fitting++;
            }
        }
        // The small epsilon keeps 5% of 1,600 at 80 despite binary floating point.
        int target = (int) Math.ceil(percent * eligible / 100.0 - 1e-9);
        // Apportioned over the instances that fit, so no reef is asked for more than it can give.
        SortedMap<String, Integer> quotas = apportion(poolByReef, fitting, Math.min(target, fitting));

        Random random = new Random(seed);
        List<Choice> chosen = new ArrayList<>();
        boolean relaxed = false;
        for (Map.Entry<String, List<Instance>> entry : poolByReef.entrySet()) {
            String reef = entry.getKey();
            List<Instance> pool = new ArrayList<>(entry.getValue());
            pool.sort(Comparator.comparing(Instance::id));
            List<Instance> fresh = new ArrayList<>();
            List<Instance> recent = new ArrayList<>();
            for (Instance instance : pool) {
                (releasesAgo.containsKey(instance.id()) ? recent : fresh).add(instance);
            }
            Collections.shuffle(fresh, random);
            Collections.shuffle(recent, random);
            // Stable sort after the shuffle: least recently used first, random among equals.
            recent.sort(Comparator.comparing((Instance i) -> releasesAgo.get(i.id()))
                    .reversed());
            int quota = quotas.get(reef);
            String stratum = "reef " + reef + " (region " + pool.get(0).region() + ") quota " + quota + " of "
                    + pool.size() + " eligible active" + (fit.windowsApply() ? " that fit the deadline" : "");
            for (int position = 0; position < quota && position < fresh.size(); position++) {
                Instance instance = fresh.get(position);
                chosen.add(new Choice(
                        instance.id(),
                        reef,
                        instance.region(),
                        stratum + "; drawn with seed " + seed + " at position " + (position + 1)
                                + "; not a canary in the last " + rotation + " releases"));
            }
            int reused = Math.max(0, quota - fresh.size());
            if (reused > 0) {
                relaxed = true;
            }
            for (int position = 0; position < recent.size(); position++) {
                Instance instance = recent.get(position);
                int ago = releasesAgo.get(instance.id());
                if (position < reused) {
                    chosen.add(new Choice(
                            instance.id(),
                            reef,
                            instance.region(),
                            stratum + "; rotation relaxed: only " + fresh.size()
                                    + " instances of the reef were not canaries in the last " + rotation
                                    + " releases, so this one, a canary " + ago
                                    + " release(s) ago and among the least recently used, was drawn again (seed "
                                    + seed + ")"));
                } else {
                    excluded.add(new Exclusion(
                            instance.id(),
                            "canary " + ago + " release(s) ago; rotation keeps it out for " + rotation + " releases"));
                }
            }
        }
        return new CanarySelection(
                ring,
                percent,
                seed,
                rotation,
                eligible,
                target,
                Collections.unmodifiableSortedMap(quotas),
                List.copyOf(chosen),
                List.copyOf(excluded),
                relaxed,
                fitting,
                fit.from(),
                fit.until());
    }

    /** How many canaries the target asks for beyond those drawn: eligible instances whose windows do not fit. */
    public int shortfall() {
        return Math.max(0, target - chosen.size());
    }

    /** Largest-remainder (Hamilton) apportionment of {@code target} seats by pool size, in exact integer arithmetic. */
    private static SortedMap<String, Integer> apportion(
            SortedMap<String, List<Instance>> poolByReef, int pooled, int target) {
        SortedMap<String, Integer> quotas = new TreeMap<>();
        if (pooled == 0) {
            return quotas;
        }
        Map<String, Long> remainders = new HashMap<>();
        int assigned = 0;
        for (Map.Entry<String, List<Instance>> entry : poolByReef.entrySet()) {
            long numerator = (long) target * entry.getValue().size();
            quotas.put(entry.getKey(), (int) (numerator / pooled));
            remainders.put(entry.getKey(), numerator % pooled);
            assigned += (int) (numerator / pooled);
        }
        List<String> byRemainder = new ArrayList<>(poolByReef.keySet());
        byRemainder.sort(Comparator.comparing((String reef) -> remainders.get(reef))
                .reversed()
                .thenComparing(Comparator.naturalOrder()));
        for (int i = 0; i < target - assigned; i++) {
            quotas.merge(byRemainder.get(i), 1, Integer::sum);
        }
        return quotas;
    }

    /** The chosen instance ids, in draw order. */
    public Set<String> instanceIds() {
        Set<String> ids = new LinkedHashSet<>();
        chosen.forEach(c -> ids.add(c.instanceId()));
        return ids;
    }
}
