package io.reefline.platform.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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
}
