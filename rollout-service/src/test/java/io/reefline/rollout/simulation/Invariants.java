package io.reefline.rollout.simulation;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.ImageReference;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.upgrade.StartRules;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.upgrade.reconcile.Fleet.ActiveRelease;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rules a rollout must keep whatever fails, checked as things happen (every patch, every stored write) and after
 * every tick. A violation is kept with its tick; the simulation fails the run with the seed after the tick.
 *
 * <ol>
 *   <li>channel: an instance is only ever patched to a release of its own channel;
 *   <li>never backwards: a patch that is not a restore moves the instance to a newer version, never below the highest
 *       version it reached through a SUCCEEDED upgrade;
 *   <li>every non-restore patch happens with the gate open, no freeze covering the instance, and its window able to
 *       finish the upgrade (unless the ring or the release ignores windows);
 *   <li>running upgrades per reef never exceed the in-flight limit;
 *   <li>no ring passes silently: ring k+1 is patched for a release only after ring k has a SUCCEEDED upgrade of it;
 *   <li>every SUCCEEDED upgrade had its passes and its soak;
 *   <li>liveness: see {@link FleetSimulation#checkLiveness};
 *   <li>transitions follow the state machine, terminal states never change, no duplicate outbox id, no fenced-out
 *       write; and an upgrade is only cancelled while its instance does not run its target image (CANCELLED means
 *       never patched).
 * </ol>
 */
final class Invariants {

    private final FleetSimulation sim;
    private final List<String> violations = new ArrayList<>();
    private final Map<String, Version> highestSucceeded = new HashMap<>();
    /** Per release: SUCCEEDED upgrades per ring name. */
    private final Map<String, Map<String, Integer>> succeededPerRing = new HashMap<>();

    private final Map<Integer, Long> checks = new TreeMap<>();
    private final Map<String, Version> versions = new HashMap<>();
    private boolean lastPatchWasRestore;
    long restorePatches;
    long upgradePatches;
    long emptyRingsPassed;
    /** Patches in ring k+1 while an upgrade of the same release in ring k was still rolling out or soaking. */
    long openedWhileEarlierRan;

    Invariants(FleetSimulation sim) {
        this.sim = sim;
    }

    void violation(int invariant, String what) {
        violations.add("invariant " + invariant + " at tick " + sim.tick + " (" + sim.now + "): " + what);
    }

    List<String> violations() {
        return violations;
    }

    long checks() {
        return checks.values().stream().mapToLong(Long::longValue).sum();
    }

    Map<Integer, Long> checksPerInvariant() {
        return checks;
    }

    private void checked(int invariant) {
        checks.merge(invariant, 1L, Long::sum);
    }

    boolean lastPatchWasRestore() {
        return lastPatchWasRestore;
    }

    /** The version an image's tag names (null when none), parsed once per image. */
    Version version(String image) {
        return versions.computeIfAbsent(
                image, i -> ImageReference.parse(i).tagVersion().orElse(null));
    }

    // --- every patch ----------------------------------------------------------------------------------------------

    /** Called by the cluster just before it applies a patch of {@code d} from {@code expected} to {@code image}. */
    void patched(SimCluster.Deployment d, String expected, String image) {
        Upgrade upgrade = sim.store.runningOf(d.instanceId);
        lastPatchWasRestore = upgrade != null
                && upgrade.state == UpgradeState.FAILED
                && upgrade.targetImage.equals(expected)
                && upgrade.previousImage.equals(image);
        if (lastPatchWasRestore) {
            restorePatches++;
            return;
        }
        upgradePatches++;
        String who = d.instanceId + " (" + d.reef + ") from " + expected + " to " + image;
        Version from = version(expected);
        Version to = version(image);

        checked(2);
        if (from == null || to == null || !to.isAtLeast(from) || to.equals(from)) {
            violation(2, "patched " + who + ", not forward");
        }
        Version highest = highestSucceeded.get(d.instanceId);
        if (highest != null && to != null && !to.isAtLeast(highest)) {
            violation(2, "patched " + who + ", below " + highest + " which it reached by a succeeded upgrade");
        }

        if (upgrade == null || upgrade.state != UpgradeState.PLANNED || !upgrade.targetImage.equals(image)) {
            violation(
                    3, "patched " + who + " without a stored PLANNED upgrade to that image (stored: " + upgrade + ")");
            return;
        }
        ActiveRelease release = sim.fleet.release(upgrade.releaseVersion).orElse(null);
        if (release == null) {
            violation(1, "patched " + who + " to release " + upgrade.releaseVersion + ", which was never registered");
            return;
        }
        Instance instance = sim.fleet.instance(d.instanceId);

        checked(1);
        if (!instance.channel().equals(release.release().channel())) {
            violation(
                    1,
                    "patched " + who + " of channel " + instance.channel() + " to " + upgrade.releaseVersion
                            + " of channel " + release.release().channel());
        }

        checked(3);
        GateState gate = sim.gate.stateAt(sim.now, upgrade.releaseVersion, d.reef);
        if (!gate.open()) {
            violation(
                    3,
                    "patched " + who + " (" + upgrade.releaseVersion + ") with the andon gate closed: "
                            + gate.reason());
        }
        for (Freeze freeze : sim.fleet.freezes()) {
            if (freeze.covers(instance, sim.now)) {
                violation(3, "patched " + who + " during " + freeze.describe());
            }
        }
        int ringIndex = release.policy().indexOf(upgrade.ring);
        Ring ring = ringIndex < 0 ? null : release.policy().rings().get(ringIndex);
        if (StartRules.windowsApply(ring, release.release())
                && !instance.window().canFinish(sim.now, release.policy().expectedUpgrade())) {
            violation(
                    3,
                    "patched " + who + " outside its window " + instance.window() + " (ring " + upgrade.ring + ", "
                            + release.policy().expectedUpgrade() + " needed)");
        }

        checked(5);
        if (ringIndex < 0) {
            violation(5, "patched " + who + " in ring " + upgrade.ring + ", which the policy does not have");
            return;
        }
        Map<String, Integer> succeeded = succeededPerRing.getOrDefault(upgrade.releaseVersion, Map.of());
        for (int k = ringIndex - 1; k >= 0; k--) {
            String earlier = release.policy().rings().get(k).name();
            boolean hasMembers = release.assignment().ringByInstance().containsValue(earlier);
            if (!hasMembers) {
                if (!release.policy().rings().get(k).optional()) {
                    violation(
                            5,
                            "patched " + who + " in ring " + upgrade.ring + " of " + upgrade.releaseVersion
                                    + " past ring " + earlier + ", which has no member and is not optional");
                }
                emptyRingsPassed++;
                continue;
            }
            for (Upgrade u : sim.store.ofRelease(upgrade.releaseVersion)) {
                if (earlier.equals(u.ring) && u.state.running() && u.state != UpgradeState.PLANNED) {
                    openedWhileEarlierRan++; // not a violation: ring k has a success; recorded for the report
                    break;
                }
            }
            if (succeeded.getOrDefault(earlier, 0) == 0) {
                violation(
                        5,
                        "patched " + who + " in ring " + upgrade.ring + " of " + upgrade.releaseVersion
                                + " before ring " + earlier + " had a succeeded upgrade of it"
                                + (release.release().expedite() ? " (expedited release)" : "") + "; registered at "
                                + release.releaseTime() + "; ring " + earlier + "'s upgrades of it: "
                                + ringHistory(upgrade.releaseVersion, earlier));
            }
            break;
        }
    }

    private String ringHistory(String releaseVersion, String ring) {
        List<String> lines = new ArrayList<>();
        for (Upgrade u : sim.store.ofRelease(releaseVersion)) {
            if (ring.equals(u.ring)) {
                lines.add(u.instanceId + " " + u.state + " planned " + u.plannedAt + ": " + u.reason);
            }
        }
        return lines.isEmpty() ? "none" : String.join(" | ", lines);
    }

    // --- every stored write ---------------------------------------------------------------------------------------

    /** Called by the store after each write: {@code before} is null for an insert. */
    void stored(Upgrade before, Upgrade after) {
        checked(8);
        if (before != null && before.state.terminal()) {
            violation(8, "terminal " + before + " changed to " + after.state);
        }
        if (before != null && !before.state.mayBecome(after.state)) {
            violation(8, before + " became " + after.state);
        }
        if (after.state == UpgradeState.CANCELLED && before != null && before.state != UpgradeState.CANCELLED) {
            // CANCELLED means never patched: an instance left on the target image would run it unverified.
            SimCluster.Deployment d = sim.cluster.deployment(after.instanceId);
            if (d != null && d.image.equals(after.targetImage)) {
                violation(
                        8,
                        before + " was cancelled while its instance runs the target image " + d.image
                                + " (so it runs it without a soak and counts as done): " + after.reason);
            }
        }
        if (after.state == UpgradeState.SUCCEEDED && (before == null || before.state != UpgradeState.SUCCEEDED)) {
            checked(6);
            var soak = sim.settings.soak();
            if (after.checksPassed < soak.passesNeeded()) {
                violation(
                        6,
                        after + " succeeded with " + after.checksPassed + " counted passes, " + soak.passesNeeded()
                                + " needed");
            }
            if (after.availableAt == null
                    || after.finishedAt == null
                    || after.finishedAt.isBefore(after.availableAt.plus(soak.soak()))) {
                violation(
                        6,
                        after + " succeeded at " + after.finishedAt + ", available at " + after.availableAt + ", soak "
                                + soak.soak());
            }
            ImageReference.parse(after.targetImage)
                    .tagVersion()
                    .ifPresent(v -> highestSucceeded.merge(after.instanceId, v, (a, b) -> a.isAtLeast(b) ? a : b));
            succeededPerRing
                    .computeIfAbsent(after.releaseVersion, r -> new HashMap<>())
                    .merge(after.ring, 1, Integer::sum);
        }
    }

    // --- after every tick -----------------------------------------------------------------------------------------

    void afterTick() {
        int limit = sim.policy.inFlightLimitPerReef();
        for (Map.Entry<String, Integer> reef : sim.store.runningPerReef().entrySet()) {
            checked(4);
            if (reef.getValue() > limit) {
                violation(4, "reef " + reef.getKey() + " runs " + reef.getValue() + " upgrades, limit " + limit);
            }
        }
        checked(2);
        for (SimCluster.Deployment d : sim.cluster.deployments()) {
            Version highest = highestSucceeded.get(d.instanceId);
            if (highest == null) {
                continue;
            }
            Version now = version(d.image);
            if (now == null || !now.isAtLeast(highest)) {
                violation(
                        2,
                        d.instanceId + " runs " + d.image + ", below " + highest
                                + " which it reached by a succeeded upgrade");
            }
        }
    }
}
