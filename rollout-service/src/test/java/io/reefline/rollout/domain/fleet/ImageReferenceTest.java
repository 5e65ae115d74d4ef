package io.reefline.rollout.domain.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Never backwards at registration: the image a release names must be the build of its version. */
class ImageReferenceTest {

    private static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    private static Optional<String> problem(String image, String version) {
        return ImageReference.parse(image).problemWith(Version.parse(version));
    }

    @ParameterizedTest
    @CsvSource({
        "registry.reefline.local/product:2026.11.3, 2026.11.3",
        "registry.reefline.local:5000/product:2026.11.3, 2026.11.3",
        "product:2026.11, 2026.11.0",
        "product:2026.11.0, 2026.11",
        "product:v2026.11.3, 2026.11.3",
        "product:2026.11.2-broken, 2026.11.2-broken",
    })
    void shouldAcceptATagThatNamesTheVersion(String image, String version) {
        assertEquals(Optional.empty(), problem(image, version));
    }

    @Test
    void shouldAcceptADigestWithTheExplicitVersion() {
        assertEquals(Optional.empty(), problem("registry.reefline.local/product@" + DIGEST, "2026.11.3"));
        assertEquals(Optional.empty(), problem("registry.reefline.local:5000/product@" + DIGEST, "2026.11.3"));
        assertEquals(Optional.empty(), problem("product:2026.11.3@" + DIGEST, "2026.11.3"));
    }

    @Test
    void shouldRefuseATagThatNamesAnotherVersion() {
        assertEquals(
                Optional.of("its tag '2020.1.0' names version 2020.1.0, not 2099.1.0"),
                problem("registry.reefline.local/product:2020.1.0", "2099.1.0"));
        assertTrue(problem("product:2026.11.2-broken", "2026.11.2").isPresent(), "a pre-release is an older version");
        assertTrue(problem("product:2026.11.3.1", "2026.11.3").isPresent());
        assertTrue(problem("product:2020.1.0@" + DIGEST, "2099.1.0").isPresent(), "a tag beside a digest must match");
    }

    @ParameterizedTest
    @ValueSource(strings = {"registry.reefline.local/product", "registry.reefline.local:5000/product", "product"})
    void shouldRefuseAnImageWithoutTagOrDigest(String image) {
        String problem = problem(image, "2026.11.3").orElseThrow();
        assertTrue(problem.startsWith("has no tag"), problem);
    }

    @Test
    void shouldRefuseATagThatIsNotAVersion() {
        assertTrue(problem("product:latest", "2026.11.3").orElseThrow().contains("'latest' is not a version"));
        assertTrue(problem("product:latest@" + DIGEST, "2026.11.3").isPresent());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "product@sha256:0a1b",
                "product@md5:0123456789abcdef0123456789abcdef",
                "product@SHA256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "product@"
            })
    void shouldRefuseAMalformedDigest(String image) {
        assertTrue(problem(image, "2026.11.3").orElseThrow().contains("digest"));
    }

    @Test
    void shouldSplitRegistryRepositoryTagAndDigest() {
        ImageReference image = ImageReference.parse("registry.local:5000/team/product:2026.11.3@" + DIGEST);
        assertEquals("registry.local:5000/team/product", image.repository());
        assertEquals("2026.11.3", image.tag());
        assertEquals(DIGEST, image.digest());
        assertTrue(image.pinnedByDigest());
        ImageReference untagged = ImageReference.parse("registry.local:5000/product");
        assertNull(untagged.tag());
        assertFalse(untagged.pinnedByDigest());
        assertEquals(Optional.empty(), untagged.tagVersion());
    }
}
