package io.reefline.rollout.domain.upgrade;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartRulesTest {

    static final Instant IN_WINDOW = Instant.parse("2026-03-02T09:15:00Z");
    static final Instant OUT_OF_WINDOW = Instant.parse("2026-03-02T13:00:00Z");
    static final Instant NEAR_END = Instant.parse("2026-03-02T11:55:00Z");
    static final Ring WINDOWED =
            new Ring("Stable", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(7), true);
    static final Ring STAFF = new Ring("Staff", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(1), false);
    static final Instance INSTANCE = new Instance(
            "i1",
            "reef-eu-1",
            "eu",
            "acme",
            MaintenanceWindow.parse("Daily 09:00-12:00"),
            true,
            PinnedRing.NONE,
            false,
            Version.parse("2026.3.0"));
    static final Release RELEASE =
            Release.of(Version.parse("2026.3.1"), "product:2026.3.1", "stable", IN_WINDOW, List.of());

    private static StartRules.Decision ask(
            Release release, Ring ring, String live, GateState gate, List<Freeze> freezes, Instant now) {
        return StartRules.mayPatch(
                new StartRules.Question(INSTANCE, release, ring, live, gate, freezes, now, Duration.ofMinutes(30)));
    }

    @Test
    void goesInsideTheWindowWithTheGateOpenAndNoFreeze() {
        assertTrue(ask(RELEASE, WINDOWED, "product:2026.3.0", GateState.OPEN, List.of(), IN_WINDOW)
                .go());
    }

    @Test
    void neverOutsideTheWindowNorTooCloseToItsEnd() {
        StartRules.Decision outside =
                ask(RELEASE, WINDOWED, "product:2026.3.0", GateState.OPEN, List.of(), OUT_OF_WINDOW);
        assertFalse(outside.go());
        assertTrue(outside.reason().contains("outside its maintenance window"), outside.reason());
        assertFalse(ask(RELEASE, WINDOWED, "product:2026.3.0", GateState.OPEN, List.of(), NEAR_END)
                .go());
    }

    @Test
    void aRingThatIgnoresWindowsOrAnExpeditedReleaseGoesOutsideTheWindow() {
        assertTrue(ask(RELEASE, STAFF, "product:2026.3.0", GateState.OPEN, List.of(), OUT_OF_WINDOW)
                .go());
        Release expedited = new Release(
                RELEASE.version(), RELEASE.image(), "stable", IN_WINDOW, List.of(), false, true, "hotfix for SEV-1");
        assertTrue(ask(expedited, WINDOWED, "product:2026.3.0", GateState.OPEN, List.of(), OUT_OF_WINDOW)
                .go());
    }

    @Test
    void neverPastAClosedGate() {
        StartRules.Decision closed =
                ask(RELEASE, STAFF, "product:2026.3.0", GateState.closed("cord 7 is open"), List.of(), IN_WINDOW);
        assertFalse(closed.go());
        assertTrue(closed.reason().contains("cord 7 is open"), closed.reason());
    }

    @Test
    void neverDuringAFreeze() {
        Freeze freeze = new Freeze(
                "q-close",
                Freeze.Scope.REEF,
                "reef-eu-1",
                new Freeze.OneOff(IN_WINDOW.minusSeconds(60), IN_WINDOW.plusSeconds(3600)),
                "quarter close");
        StartRules.Decision frozen =
                ask(RELEASE, STAFF, "product:2026.3.0", GateState.OPEN, List.of(freeze), IN_WINDOW);
        assertFalse(frozen.go());
        assertTrue(frozen.reason().contains("q-close"), frozen.reason());
    }

    @Test
    void onlyTheReleasesOwnChannel() {
        Release beta = Release.of(Version.parse("2026.3.1"), "product:2026.3.1", "beta", IN_WINDOW, List.of());
        StartRules.Decision decision = ask(beta, STAFF, "product:2026.3.0", GateState.OPEN, List.of(), IN_WINDOW);
        assertFalse(decision.go());
        assertTrue(decision.reason().contains("channel 'stable', the release in 'beta'"), decision.reason());
        assertTrue(StartRules.mayPatch(new StartRules.Question(
                        INSTANCE.inChannel("beta"),
                        beta,
                        STAFF,
                        "product:2026.3.0",
                        GateState.OPEN,
                        List.of(),
                        IN_WINDOW,
                        Duration.ofMinutes(30)))
                .go());
    }

    @Test
    void neverBackwardsNorSideways() {
        StartRules.Decision newer = ask(RELEASE, STAFF, "product:2026.4.0", GateState.OPEN, List.of(), IN_WINDOW);
        assertFalse(newer.go());
        assertTrue(newer.reason().contains("never moves an instance backwards"), newer.reason());
        assertFalse(ask(RELEASE, STAFF, "product:2026.3.1", GateState.OPEN, List.of(), IN_WINDOW)
                .go());
        assertFalse(
                ask(RELEASE, STAFF, "product:latest", GateState.OPEN, List.of(), IN_WINDOW)
                        .go(),
                "a running image without a version cannot be moved forward safely");
    }
}
