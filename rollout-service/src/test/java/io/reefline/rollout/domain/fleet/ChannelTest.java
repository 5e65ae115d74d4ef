package io.reefline.rollout.domain.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelTest {

    @ParameterizedTest
    @ValueSource(strings = {"stable", "beta", "lts-2026", "0day"})
    void shouldAcceptChannelNames(String channel) {
        assertEquals(Optional.empty(), Channel.problem(channel));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Beta", "-beta", "beta channel", "béta", "beta_1"})
    void shouldRefuseWhatIsNotAChannelName(String channel) {
        assertTrue(Channel.problem(channel).isPresent(), channel);
    }

    @Test
    void shouldRefuseChannelNamesLongerThanTheColumn() {
        assertEquals(Optional.empty(), Channel.problem("c".repeat(Channel.MAX_LENGTH)));
        assertEquals(
                Optional.of("must be at most 100 characters"), Channel.problem("c".repeat(Channel.MAX_LENGTH + 1)));
    }

    @Test
    void shouldPutInstancesWithoutAChannelInStable() {
        assertEquals("stable", instance("i-1").channel());
        assertEquals("beta", instance("i-1").inChannel("beta").channel());
    }

    @Test
    void shouldGiveAReleaseOnlyTheInstancesOfItsChannelInFleetOrder() {
        List<Instance> fleet = List.of(
                instance("s-1"),
                instance("b-1").inChannel("beta"),
                instance("s-2"),
                instance("b-2").inChannel("beta"),
                instance("x-1").inChannel("stable-eu"));
        Release beta = Release.of(Version.parse("2027.1.0"), "app:2027.1.0", "beta", Instant.EPOCH, List.of());
        Release stable = Release.of(Version.parse("2027.1.0"), "app:2027.1.0", "stable", Instant.EPOCH, List.of());

        assertEquals(
                List.of("b-1", "b-2"),
                beta.instancesOf(fleet).stream().map(Instance::id).toList());
        assertEquals(
                List.of("s-1", "s-2"),
                stable.instancesOf(fleet).stream().map(Instance::id).toList());
    }

    private static Instance instance(String id) {
        return new Instance(
                id,
                "reef-eu-1",
                "eu",
                "tenant-" + id,
                MaintenanceWindow.parse("Daily 09:00-12:00"),
                true,
                PinnedRing.NONE,
                false,
                Version.parse("2026.11.0"));
    }
}
