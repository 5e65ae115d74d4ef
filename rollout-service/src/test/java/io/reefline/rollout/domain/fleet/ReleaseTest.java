package io.reefline.rollout.domain.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How releases use versions: never downgrade, the newest of a channel wins. */
class ReleaseTest {

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
