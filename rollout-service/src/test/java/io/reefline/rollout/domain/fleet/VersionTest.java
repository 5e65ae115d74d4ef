package io.reefline.rollout.domain.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

    @Test
    void shouldOrderNumericSegmentsNumericallyThenPreReleases() {
        List<String> ordered = List.of(
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.1",
                "1.2",
                "1.10",
                "2022.2.387-hotfix.903",
                "2022.2.387",
                "2022.2.3108",
                "2026.9.14",
                "2026.11.3",
                "2026.11.3.1");
        List<Version> shuffled =
                new ArrayList<>(ordered.stream().map(Version::parse).toList());
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(Version::toString).toList());
    }

    @Test
    void shouldTreatMissingSegmentsAsZeroAndIgnoreBuildMetadata() {
        assertEquals(Version.parse("2026.11"), Version.parse("2026.11.0"));
        assertEquals(
                Version.parse("2026.11").hashCode(),
                Version.parse("2026.11.0.0").hashCode());
        assertEquals(0, Version.parse("v1.2.3+build.7").compareTo(Version.parse("1.2.3")));
        assertEquals(Version.parse("1.0.0-rc.01"), Version.parse("1.0.0-rc.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "latest", "1..2", "1.2.", "1.2.3-", "1.2.3-rc..1", "a1.2", "1.2.3 beta"})
    void shouldRejectWhatIsNotAVersion(String text) {
        assertThrows(IllegalArgumentException.class, () -> Version.parse(text));
    }

    @Test
    void shouldNeverDowngradeAnInstanceAlreadyOnTheVersionOrNewer() {
        Release release = Release.of(Version.parse("2026.11.3"), "app:2026.11.3", "cloud", Instant.EPOCH, List.of());
        assertTrue(release.isAlreadyOn(on("2026.11.3")));
        assertTrue(release.isAlreadyOn(on("2026.12.0")));
        assertFalse(release.isAlreadyOn(on("2026.11.3-rc.1")));
        assertFalse(release.isAlreadyOn(on("2026.11.2")));
    }

    @Test
    void shouldLetTheNewestReleaseOfAChannelSupersedeOlderOnesWhateverTheRegistrationOrder() {
        Release newer = Release.of(Version.parse("2026.11.3"), "app:2026.11.3", "cloud", Instant.EPOCH, List.of());
        Release olderRegisteredLater = Release.of(
                Version.parse("2026.11.1"), "app:2026.11.1", "cloud", Instant.EPOCH.plusSeconds(60), List.of());
        Release otherChannel = Release.of(Version.parse("2027.1.0"), "app:2027.1.0", "beta", Instant.EPOCH, List.of());
        assertEquals(Optional.of(newer), Release.newest(List.of(newer, olderRegisteredLater, otherChannel), "cloud"));
        assertEquals(Optional.empty(), Release.newest(List.of(newer), "self-hosted"));
    }

    @Test
    void shouldRequireAReasonToIgnoreWindows() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new Release(Version.parse("1.0"), "app:1.0", "cloud", Instant.EPOCH, List.of(), true, true, " "));
    }

    private static Instance on(String version) {
        return new Instance(
                "i-1",
                "reef-eu-1",
                "eu",
                "tenant-1",
                MaintenanceWindow.parse("Daily 09:00-12:00"),
                true,
                PinnedRing.NONE,
                false,
                Version.parse(version));
    }
}
