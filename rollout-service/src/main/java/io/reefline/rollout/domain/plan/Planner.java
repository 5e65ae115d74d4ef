package io.reefline.rollout.domain.plan;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.InstancePlan.Status;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The one planner behind the live scheduler and the forecast. It simulates the release forward from {@code now}:
 *
 * <ul>
 *   <li>Ring 0 opens at the release time; ring i+1 opens when ring i is complete (its last upgrade finished, or its
 *       deadline passed when a member could not make it) plus ring i's soak. An expedited release skips soaks.
 *   <li>No ring passes silently: a ring with no member to upgrade (none selected, or every one carried to a later
 *       ring or unplannable) holds the release, so later rings do not open, with {@link PlanReason#RING_EMPTY} on its
 *       progress. Only a ring the policy marks optional passes on at once, and its progress says so.
 *   <li>An instance's upgrade starts at the first slot of its window (one that leaves {@code expectedUpgrade} to finish)
 *       at or after its ring opens and {@code now}, outside every freeze covering it; rings that ignore windows, and
 *       releases with {@code ignoreWindows}, start as soon as the rest allows.
 *   <li>Each reef runs at most {@code inFlightLimitPerReef} upgrades at once; an upgrade holds a slot for the expected
 *       duration. Per reef the simulation walks time forward with a priority queue of finish times; candidates waiting
 *       for a slot are served by their first possible start, then id. When the wait leaves too little of the window,
 *       the upgrade spills to the window's next occurrence, and the spill is recorded.
 *   <li>An upgrade that cannot finish before its ring's deadline is carried to the next ring; in the last ring it is
 *       not planned ({@link PlanReason#NO_WINDOW_BEFORE_DEADLINE}).
 *   <li>A closed gate plans nothing new. A freeze is checked at the start only: a running upgrade may finish in one.
 * </ul>
 *
 * <p>Cost: O(n log n) per release, one window-slot computation per distinct window and ring plus one per spill.
 */
public final class Planner {

    /** Bounds the freeze/window alternation for one start; back-to-back freezes longer than this are not plannable. */
    private static final int MAX_FREEZE_HOPS = 100;

    /** How soon an overdue running upgrade is expected to finish: after now, so nothing counts it as done yet. */
    private static final Duration STILL_RUNNING = Duration.ofSeconds(1);

    public Plan plan(PlanRequest request) {
        return new Simulation(request).run();
    }

    /** The upgrades that may start at {@code request.now()}: what a scheduler tick starts. */
    public List<InstancePlan> startableNow(PlanRequest request) {
        return plan(request).startableNow();
    }

    /**
     * "If this release ships at {@code shipAt}, when does each ring finish and when does the last customer get it?"
     * Draws the canaries with {@code seed} among the instances of the release's channel, as registering it would.
     */
    public Forecast forecast(
            List<Instance> fleet,
            RingPolicy policy,
            Release release,
            Instant shipAt,
            long seed,
            List<Set<String>> recentCanaries,
            List<Freeze> freezes) {
        List<Instance> channel = release.instancesOf(fleet);
        RingAssignment assignment =
                RingAssignment.assign(policy, channel, seed, recentCanaries, RingAssignment.Timing.of(release, shipAt));
        Plan plan = plan(PlanRequest.builder(channel, policy, release, assignment)
                .releaseTime(shipAt)
                .freezes(freezes)
                .at(shipAt));
        return Forecast.of(plan, channel, policy, assignment.canaries());
    }

    /** One upgrade waiting to be placed; mutable while the simulation moves it forward. */
    private static final class Candidate {
        final Instance instance;
        final int index;
        int ring;
        Instant time;
        Instant desired;
        PlanReason reason;
        List<Delay> delays;
        int spills;
        Instant spilledFrom;
        String carriedFrom = "";

        Candidate(Instance instance, int index, int ring) {
            this.instance = instance;
            this.index = index;
            this.ring = ring;
        }

        /**
         * The first delay is the reason it cannot start now; every delay goes into the explanation, which is only
         * written out once the upgrade is placed (building text on every simulation step would dominate the cost).
         */
        void delayedBy(PlanReason why, Instant at, Freeze freeze, String subject) {
            if (reason == null) {
                reason = why;
                delays = new ArrayList<>(2);
            } else if (delays.get(delays.size() - 1).reason() == why && why == PlanReason.IN_FLIGHT_LIMIT) {
                return;
            }
            delays.add(new Delay(why, at, freeze, subject));
        }
    }

    private record SlotKey(MaintenanceWindow window, Instant at) {}

    /** One thing that pushed an upgrade later; {@code subject} is the ring or reef it names. */
    private record Delay(PlanReason reason, Instant at, Freeze freeze, String subject) {}

    private static final Comparator<Candidate> BY_PRIORITY = (a, b) -> {
        int byDesired = a.desired.compareTo(b.desired);
        return byDesired != 0 ? byDesired : a.instance.id().compareTo(b.instance.id());
    };

    private static final Comparator<Candidate> BY_TIME = (a, b) -> {
        int byTime = a.time.compareTo(b.time);
        return byTime != 0 ? byTime : BY_PRIORITY.compare(a, b);
    };

    private static final class Simulation {
        private final PlanRequest request;
        private final RingPolicy policy;
        private final Release release;
        private final Duration expected;
        private final Instant now;
        private final List<Ring> rings;
        private final InstancePlan[] out;
        private final Map<String, List<Instant>> busyByReef = new HashMap<>();
        private final List<List<Candidate>> pending = new ArrayList<>();
        private final Instant[] latestFinish;
        private final int[] members;
        private final boolean[] gateBlocked;
        private final boolean[] failedIn;
        private final boolean[] missedDeadline;
        /** Per ring: members carried on to the next ring, and members the ring could not plan at all. */
        private final int[] carriedOut;

        private final int[] unplannable;
        /** Per ring, what its progress says beyond the counts: see {@link RingProgress}. */
        private final boolean[] ringHeld;

        private final PlanReason[] ringReason;
        private final String[] ringDetail;

        // Per ring, set by runRing.
        private int ringIndex;
        private Instant opensAt;
        private Instant from;
        private Instant deadline;
        private boolean windowsApply;
        /**
         * Slots and "enough time left" answers per (window, instant). Many instances share a window and are pushed to
         * the same finish instant, so a fleet of 100,000 needs only a few thousand window computations.
         */
        private final Map<SlotKey, Optional<Instant>> slots = new HashMap<>();

        private final Map<SlotKey, Boolean> fits = new HashMap<>();
        private List<Candidate> carried = new ArrayList<>();

        Simulation(PlanRequest request) {
            this.request = request;
            this.policy = request.policy().requireValid();
            this.release = request.release();
            this.expected = policy.expectedUpgrade();
            this.now = request.now();
            this.rings = policy.rings();
            this.out = new InstancePlan[request.fleet().size()];
            this.latestFinish = new Instant[rings.size()];
            this.members = new int[rings.size()];
            this.gateBlocked = new boolean[rings.size()];
            this.failedIn = new boolean[rings.size()];
            this.missedDeadline = new boolean[rings.size()];
            this.carriedOut = new int[rings.size()];
            this.unplannable = new int[rings.size()];
            this.ringHeld = new boolean[rings.size()];
            this.ringReason = new PlanReason[rings.size()];
            this.ringDetail = new String[rings.size()];
            for (int i = 0; i < rings.size(); i++) {
                pending.add(new ArrayList<>());
            }
        }

        Plan run() {
            classify();
            List<Instant> opens = new ArrayList<>();
            List<Instant> completes = new ArrayList<>();
            Instant open = request.releaseTime();
            String heldBy = null;
            String heldWhy = null;
            for (int k = 0; k < rings.size(); k++) {
                opens.add(open);
                if (open == null) {
                    completes.add(null);
                    heldBehind(k, heldBy, heldWhy);
                    continue;
                }
                runRing(k, open);
                Ring ring = rings.get(k);
                boolean soaks = members[k] > 0 || missedDeadline[k];
                Instant complete = latestFinish[k] == null || latestFinish[k].isBefore(open) ? open : latestFinish[k];
                if (missedDeadline[k]) {
                    // Members that cannot make the deadline still hold the line until it passes, so a ring whose
                    // canaries all have late windows does not wave the next ring through untested.
                    Instant ringDeadline = open.plus(rings.get(k).deadline());
                    complete = complete.isAfter(ringDeadline) ? complete : ringDeadline;
                }
                if (gateBlocked[k] || failedIn[k]) {
                    complete = null;
                    heldBy = heldBy == null ? ring.name() : heldBy;
                    ringHeld[k] = true;
                    ringReason[k] = failedIn[k] ? PlanReason.UPGRADE_FAILED : PlanReason.GATE_CLOSED;
                    ringDetail[k] = failedIn[k]
                            ? "ring " + ring.name() + " does not complete: an upgrade to " + release.version()
                                    + " failed there; a newer release goes on"
                            : "ring " + ring.name() + " does not complete: andon gate closed: "
                                    + request.gate().reason();
                    heldWhy = heldWhy == null ? ringDetail[k] : heldWhy;
                } else if (members[k] == 0) {
                    ringReason[k] = PlanReason.RING_EMPTY;
                    ringDetail[k] = emptyRing(k);
                    if (!ring.optional()) {
                        complete = null;
                        heldBy = ring.name();
                        heldWhy = ringDetail[k];
                        ringHeld[k] = true;
                    }
                }
                completes.add(complete);
                if (complete != null && soaks && !release.expedite()) {
                    open = complete.plus(rings.get(k).soak());
                } else {
                    open = complete;
                }
            }
            return new Plan(now, release, request.releaseTime(), List.of(out), progress(opens, completes));
        }

        /** Ring {@code k} never opens: its members (and any carried to it) wait behind ring {@code heldBy}. */
        private void heldBehind(int k, String heldBy, String why) {
            List<Candidate> waiting = new ArrayList<>(pending.get(k));
            waiting.addAll(carried);
            carried = new ArrayList<>();
            for (Candidate c : waiting) {
                out[c.index] = notPlanned(c.instance, rings.get(k).name(), PlanReason.WAITING_FOR_RING, why);
            }
            ringReason[k] = PlanReason.WAITING_FOR_RING;
            ringDetail[k] = "waits for ring " + heldBy + ", which holds the release";
        }

        /** Why ring {@code k} has no member, and what happens because of it. */
        private String emptyRing(int k) {
            Ring ring = rings.get(k);
            String name = ring.name();
            String why;
            if (carriedOut[k] > 0) {
                why = name + " has no member that can finish inside its deadline (" + carriedOut[k]
                        + " carried to ring " + rings.get(k + 1).name() + ")";
            } else if (unplannable[k] > 0) {
                why = name + " has no member that can finish inside its deadline (" + unplannable[k]
                        + " with no window slot that fits)";
            } else if (ring.selector() instanceof RingSelector.Pinned pinned) {
                why = name + " has no member: no instance is pinned to "
                        + pinned.pin().name().toLowerCase(Locale.ROOT);
            } else if (ring.selector() instanceof RingSelector.Percentage) {
                why = request.assignment().canaries().stream()
                        .filter(s -> s.ring().equals(name))
                        .findFirst()
                        .filter(s -> s.eligible() > 0)
                        .map(s -> name + " has no member that can finish inside its deadline (none of " + s.eligible()
                                + " eligible active instances has a window slot before it)")
                        .orElse(name + " has no member: no active, unpinned instance was left to draw");
            } else if (ring.selector() instanceof RingSelector.Explicit) {
                why = name + " has no member: none of the instances it names is in the fleet and upgradable";
            } else {
                why = name + " has no member: no instance is left for it";
            }
            return ring.optional()
                    ? why + "; the ring is optional, so the release goes on"
                    : why + "; the release holds here (mark the ring optional to let it pass)";
        }

        private void classify() {
            Map<String, Integer> ringIndexByName = new HashMap<>();
            for (int k = 0; k < rings.size(); k++) {
                ringIndexByName.put(rings.get(k).name(), k);
            }
            Map<String, InFlightUpgrade> inFlight = new HashMap<>();
            request.inFlight().forEach(f -> inFlight.put(f.instanceId(), f));
            List<Instance> fleet = request.fleet();
            for (int i = 0; i < fleet.size(); i++) {
                Instance instance = fleet.get(i);
                String ringName = request.assignment().ringByInstance().get(instance.id());
                Integer k = ringName == null ? null : ringIndexByName.get(ringName);
                if (k == null) {
                    ringName = null;
                }
                InFlightUpgrade running = inFlight.get(instance.id());
                if (running != null) {
                    // Still running now, however overdue: it finishes after now, never at it, so its ring is not
                    // complete and the next ring cannot open in this tick (an expedited release has no soak to wait).
                    Instant expectedEnd = running.startedAt().plus(expected);
                    Instant stillRunning = now.plus(STILL_RUNNING);
                    Instant finish = expectedEnd.isAfter(stillRunning) ? expectedEnd : stillRunning;
                    busyByReef
                            .computeIfAbsent(instance.reef(), r -> new ArrayList<>())
                            .add(finish);
                    out[i] = plan(
                            instance,
                            ringName,
                            Status.IN_FLIGHT,
                            running.startedAt(),
                            finish,
                            PlanReason.IN_FLIGHT,
                            "upgrade started at " + running.startedAt() + ", expected to finish by " + finish);
                    finishedIn(k, finish);
                } else if (release.isAlreadyOn(instance)) {
                    Instant at = request.completedAt().get(instance.id());
                    out[i] = plan(
                            instance,
                            ringName,
                            Status.DONE,
                            null,
                            at,
                            PlanReason.ALREADY_ON_VERSION,
                            "on " + instance.currentVersion() + ", which is " + release.version() + " or newer");
                    finishedIn(k, at);
                } else if (request.failed().contains(instance.id())) {
                    out[i] = notPlanned(
                            instance,
                            ringName,
                            PlanReason.UPGRADE_FAILED,
                            "its upgrade to " + release.version() + " failed and was restored; "
                                    + (k == null ? "" : "ring " + ringName + " holds the later rings until ")
                                    + "a newer release");
                    if (k != null) {
                        failedIn[k] = true;
                    }
                } else if (instance.optedOut()) {
                    out[i] = notPlanned(instance, null, PlanReason.OPTED_OUT, "opted out of automatic upgrades");
                } else if (k == null) {
                    out[i] = instance.isPinned()
                            ? notPlanned(
                                    instance,
                                    null,
                                    PlanReason.PINNED_WITHOUT_RING,
                                    "pinned to " + instance.pinnedRing() + ", and the policy has no ring for it")
                            : notPlanned(
                                    instance, null, PlanReason.NOT_IN_ANY_RING, "no ring of the policy selects it");
                } else if (!request.gate().open()) {
                    out[i] = notPlanned(
                            instance,
                            ringName,
                            PlanReason.GATE_CLOSED,
                            "andon gate closed: " + request.gate().reason());
                    gateBlocked[k] = true;
                } else {
                    pending.get(k).add(new Candidate(instance, i, k));
                }
            }
        }

        private void finishedIn(Integer ring, Instant finish) {
            if (ring == null) {
                return;
            }
            members[ring]++;
            if (finish != null && (latestFinish[ring] == null || finish.isAfter(latestFinish[ring]))) {
                latestFinish[ring] = finish;
            }
        }

        private void runRing(int k, Instant open) {
            Ring ring = rings.get(k);
            ringIndex = k;
            opensAt = open;
            from = open.isAfter(now) ? open : now;
            deadline = open.plus(ring.deadline());
            windowsApply = ring.windowsApply() && !release.ignoreWindows();
            slots.clear();
            fits.clear();
            List<Candidate> candidates = new ArrayList<>(pending.get(k));
            for (Candidate c : carried) {
                c.ring = k;
                c.reason = null;
                c.delays = null;
                candidates.add(c);
            }
            carried = new ArrayList<>();
            Map<String, List<Candidate>> byReef = new LinkedHashMap<>();
            for (Candidate c : candidates) {
                byReef.computeIfAbsent(c.instance.reef(), r -> new ArrayList<>())
                        .add(c);
            }
            for (Map.Entry<String, List<Candidate>> entry : byReef.entrySet()) {
                runReef(entry.getKey(), entry.getValue());
            }
        }

        /** Walks one reef's time line for the current ring; see the class comment. */
        private void runReef(String reef, List<Candidate> candidates) {
            PriorityQueue<Candidate> arrivals = new PriorityQueue<>(BY_TIME);
            for (Candidate c : candidates) {
                if (opensAt.isAfter(now)) {
                    c.delayedBy(
                            PlanReason.WAITING_FOR_RING,
                            opensAt,
                            null,
                            rings.get(ringIndex).name());
                }
                Instant start = earliestStart(c, from);
                if (start != null && fitsDeadline(c, start)) {
                    c.time = start;
                    c.desired = start;
                    arrivals.add(c);
                }
            }
            int limit = policy.inFlightLimitPerReef();
            PriorityQueue<Instant> running = new PriorityQueue<>(busyByReef.getOrDefault(reef, List.of()));
            PriorityQueue<Candidate> waiting = new PriorityQueue<>(BY_PRIORITY);
            while (!arrivals.isEmpty() || !waiting.isEmpty()) {
                Instant t;
                if (waiting.isEmpty()) {
                    t = arrivals.peek().time;
                } else {
                    // Someone is waiting, so every slot is taken: the next event is a finish or an arrival.
                    t = running.peek();
                    if (!arrivals.isEmpty() && arrivals.peek().time.isBefore(t)) {
                        t = arrivals.peek().time;
                    }
                }
                while (!running.isEmpty() && !running.peek().isAfter(t)) {
                    running.poll();
                }
                while (!arrivals.isEmpty() && !arrivals.peek().time.isAfter(t)) {
                    waiting.add(arrivals.poll());
                }
                while (running.size() < limit && !waiting.isEmpty()) {
                    Candidate c = waiting.poll();
                    if (c.time.equals(t) || canStartAt(c, t)) {
                        if (t.isAfter(c.time)) {
                            c.delayedBy(PlanReason.IN_FLIGHT_LIMIT, t, null, reef);
                        }
                        running.add(schedule(c, t));
                    } else {
                        c.delayedBy(PlanReason.IN_FLIGHT_LIMIT, t, null, reef);
                        Instant later = earliestStart(c, t);
                        if (later != null && fitsDeadline(c, later)) {
                            if (windowsApply) {
                                c.spills++;
                                if (c.spilledFrom == null) {
                                    c.spilledFrom = c.desired;
                                }
                            }
                            c.time = later;
                            arrivals.add(c);
                        }
                    }
                }
            }
        }

        private boolean canStartAt(Candidate c, Instant t) {
            return (!windowsApply
                            || fits.computeIfAbsent(
                                    new SlotKey(c.instance.window(), t),
                                    k -> k.window().canFinish(k.at(), expected)))
                    && coveringFreeze(c.instance, t) == null
                    && !t.plus(expected).isAfter(deadline);
        }

        /**
         * The first start at or after {@code at} allowed by the window and the freezes, or null after marking the
         * candidate not planned.
         */
        private Instant earliestStart(Candidate c, Instant at) {
            Instant start = at;
            for (int hop = 0; hop < MAX_FREEZE_HOPS; hop++) {
                if (windowsApply) {
                    MaintenanceWindow window = c.instance.window();
                    Optional<Instant> slot = slots.computeIfAbsent(
                            new SlotKey(window, start), k -> k.window().nextSlot(k.at(), expected));
                    if (slot.isEmpty()) {
                        unplannable[ringIndex]++;
                        out[c.index] = notPlanned(
                                c.instance,
                                rings.get(c.ring).name(),
                                PlanReason.NO_FITTING_WINDOW,
                                "window " + window + " (" + window.nominalLength() + ") is shorter than the expected"
                                        + " upgrade duration " + expected);
                        return null;
                    }
                    if (slot.get().isAfter(start)) {
                        c.delayedBy(PlanReason.WAITING_FOR_WINDOW, slot.get(), null, null);
                    }
                    start = slot.get();
                }
                Freeze freeze = coveringFreeze(c.instance, start);
                if (freeze == null) {
                    return start;
                }
                Instant end = freeze.nextEnd(c.instance, start).orElseThrow();
                c.delayedBy(PlanReason.FROZEN, end, freeze, null);
                start = end;
            }
            unplannable[ringIndex]++;
            out[c.index] = notPlanned(
                    c.instance,
                    rings.get(c.ring).name(),
                    PlanReason.NO_WINDOW_BEFORE_DEADLINE,
                    "freezes cover every slot of its window");
            return null;
        }

        private Freeze coveringFreeze(Instance instance, Instant at) {
            for (Freeze freeze : request.freezes()) {
                if (freeze.covers(instance, at)) {
                    return freeze;
                }
            }
            return null;
        }

        /** True when the upgrade can finish by the ring's deadline; otherwise carries it on or gives up. */
        private boolean fitsDeadline(Candidate c, Instant start) {
            if (!start.plus(expected).isAfter(deadline)) {
                return true;
            }
            missedDeadline[ringIndex] = true;
            String ringName = rings.get(ringIndex).name();
            String spillNote = c.spills > 0 ? " after the in-flight limit pushed it " + c.spills + " time(s)" : "";
            if (ringIndex + 1 < rings.size()) {
                carriedOut[ringIndex]++;
                c.carriedFrom = c.carriedFrom + "missed ring " + ringName + "'s deadline " + deadline + spillNote
                        + ", so it was carried to ring "
                        + rings.get(ringIndex + 1).name() + "; ";
                carried.add(c);
            } else {
                unplannable[ringIndex]++;
                out[c.index] = notPlanned(
                        c.instance,
                        ringName,
                        PlanReason.NO_WINDOW_BEFORE_DEADLINE,
                        c.carriedFrom + "no slot finishes before ring " + ringName + "'s deadline " + deadline
                                + " (first possible start " + start + ")" + spillNote);
            }
            return false;
        }

        private Instant schedule(Candidate c, Instant start) {
            Instant finish = start.plus(expected);
            String ringName = rings.get(c.ring).name();
            PlanReason reason;
            String detail;
            if (start.equals(now)) {
                reason = PlanReason.STARTS_NOW;
                detail = "may start now";
            } else {
                reason = c.reason == null ? PlanReason.WAITING_FOR_WINDOW : c.reason;
                detail = explain(c) + "; starts at " + start;
            }
            if (c.spills > 0) {
                detail += "; pushed to a later window " + c.spills + " time(s) by the in-flight limit, from "
                        + c.spilledFrom;
            }
            out[c.index] = new InstancePlan(
                    c.instance.id(),
                    c.instance.reef(),
                    ringName,
                    release.version(),
                    Status.SCHEDULED,
                    start,
                    finish,
                    reason,
                    c.carriedFrom + detail + " (ring " + ringName + ")",
                    c.spills,
                    c.spilledFrom);
            finishedIn(c.ring, finish);
            return finish;
        }

        private String explain(Candidate c) {
            if (c.delays == null) {
                return "waiting";
            }
            StringBuilder text = new StringBuilder();
            for (Delay delay : c.delays) {
                if (text.length() > 0) {
                    text.append("; then ");
                }
                switch (delay.reason()) {
                    case WAITING_FOR_RING ->
                        text.append("waiting for ring ")
                                .append(delay.subject())
                                .append(" to open at ")
                                .append(delay.at());
                    case WAITING_FOR_WINDOW ->
                        text.append("window ")
                                .append(c.instance.window())
                                .append(" next has room at ")
                                .append(delay.at());
                    case FROZEN ->
                        text.append("frozen by ")
                                .append(delay.freeze().describe())
                                .append(" until ")
                                .append(delay.at());
                    default ->
                        text.append("reef ")
                                .append(delay.subject())
                                .append(" is at its in-flight limit of ")
                                .append(policy.inFlightLimitPerReef());
                }
            }
            return text.toString();
        }

        private InstancePlan plan(
                Instance instance,
                String ring,
                Status status,
                Instant start,
                Instant finish,
                PlanReason reason,
                String detail) {
            return new InstancePlan(
                    instance.id(),
                    instance.reef(),
                    ring,
                    release.version(),
                    status,
                    start,
                    finish,
                    reason,
                    detail,
                    0,
                    null);
        }

        private InstancePlan notPlanned(Instance instance, String ring, PlanReason reason, String detail) {
            return plan(instance, ring, Status.NOT_PLANNED, null, null, reason, detail);
        }

        private List<RingProgress> progress(List<Instant> opens, List<Instant> completes) {
            Map<String, int[]> counts = new HashMap<>();
            for (InstancePlan p : out) {
                if (p.ring() != null) {
                    int[] c = counts.computeIfAbsent(p.ring(), r -> new int[5]);
                    c[0]++;
                    c[1 + p.status().ordinal()]++;
                }
            }
            List<RingProgress> progress = new ArrayList<>();
            for (int k = 0; k < rings.size(); k++) {
                int[] c = counts.getOrDefault(rings.get(k).name(), new int[5]);
                progress.add(new RingProgress(
                        rings.get(k).name(),
                        opens.get(k),
                        completes.get(k),
                        c[0],
                        c[1],
                        c[2],
                        c[3],
                        c[4],
                        ringHeld[k],
                        ringReason[k],
                        ringDetail[k]));
            }
            return progress;
        }
    }
}
