package io.reefline.andon.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A cord on a release stops that release however its version is written, as rollout-service compares versions. */
class ReleaseScopeTest {

    private static AndonGate.Decision gate(String scope, String release) {
        Scope parsed = Scope.parse(scope).orElseThrow();
        return AndonGate.decide(List.of(new AndonGate.OpenCord(7, parsed, Set.of())), release, "reef-eu-1", "canary");
    }

    @Test
    void shouldStopAPartialVersionWithACordOnTheFullOne() {
        AndonGate.Decision decision = gate("release:2026.11.0", "2026.11");

        assertFalse(decision.allowed());
        assertEquals(List.of(7L), decision.blockingCords());
    }

    @Test
    void shouldStopTheFullVersionWithACordOnAPartialOne() {
        assertFalse(gate("release:2026.11", "2026.11.0").allowed());
        assertFalse(gate("release:2026.11", "2026.11.0.0").allowed());
    }

    @Test
    void shouldNormaliseAVPrefixAndBuildMetadataAsRolloutDoes() {
        assertFalse(gate("release:v2026.11.3", "2026.11.3").allowed());
        assertFalse(gate("release:2026.11.3", "v2026.11.3").allowed());
        assertFalse(gate("release:2026.11.3+build.7", "2026.11.3").allowed());
    }

    @Test
    void shouldLetOtherVersionsAndPreReleasesMove() {
        assertTrue(gate("release:2026.11.0", "2026.11.1").allowed());
        assertTrue(gate("release:2026.11", "2026.11.0-rc.1").allowed());
        assertTrue(gate("release:2026.11.3", "2026.11.30").allowed());
    }

    @Test
    void shouldMatchAReleaseThatIsNotAVersionOnlyByItsExactName() {
        assertFalse(gate("release:nightly", "nightly").allowed());
        assertTrue(gate("release:nightly", "nightly2").allowed());
    }
}
