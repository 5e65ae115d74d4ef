package io.reefline.rollout.domain.fleet;

import io.reefline.platform.version.Version;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference as a release names it: {@code repository[:tag][@sha256:<64 hex>]}, where the repository
 * may start with a registry host and port ({@code registry.local:5000/product}).
 *
 * <p>The rule that keeps a release from moving anyone backwards: the image's tag names the release's version
 * (compared as versions, so {@code 2026.11} is {@code 2026.11.0}); or the image is pinned by digest, and then the
 * release's explicit version is taken, and a tag next to the digest must name that version too.
 *
 * @param tag the tag, or null when there is none
 * @param digest {@code sha256:<64 hex>}, or null when not pinned by digest
 */
public record ImageReference(String repository, String tag, String digest) {

    private static final Pattern SHA256 = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Splits {@code image}; it does not check the parts, {@link #problemWith(Version)} does. */
    public static ImageReference parse(String image) {
        String reference = image.strip();
        String digest = null;
        int at = reference.indexOf('@');
        if (at >= 0) {
            digest = reference.substring(at + 1);
            reference = reference.substring(0, at);
        }
        int slash = reference.lastIndexOf('/');
        int colon = reference.lastIndexOf(':');
        String tag = null;
        if (colon > slash) {
            tag = reference.substring(colon + 1);
            reference = reference.substring(0, colon);
        }
        return new ImageReference(reference, tag, digest);
    }

    public boolean pinnedByDigest() {
        return digest != null;
    }

    /** The version the tag names; empty when there is no tag or it is not a version. */
    public Optional<Version> tagVersion() {
        if (tag == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(tag));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Why this image cannot be registered as {@code version}; empty when it can: its tag names {@code version}, or it
     * is pinned by a sha256 digest and any tag beside the digest names {@code version}.
     */
    public Optional<String> problemWith(Version version) {
        if (repository.isEmpty()) {
            return Optional.of("has no repository");
        }
        if (digest != null && !SHA256.matcher(digest).matches()) {
            return Optional.of("its digest '" + digest + "' is not sha256: followed by 64 lower-case hex digits");
        }
        if (tag == null) {
            return digest != null
                    ? Optional.empty()
                    : Optional.of("has no tag; its tag must name version " + version + " (e.g. " + repository + ":"
                            + version + "), or pin the image by digest (" + repository + "@sha256:<64 hex>)");
        }
        Optional<Version> named = tagVersion();
        if (named.isEmpty()) {
            return Optional.of("its tag '" + tag + "' is not a version; it must name version " + version
                    + (digest == null ? ", or pin the image by digest without a tag" : ""));
        }
        if (!named.get().equals(version)) {
            return Optional.of("its tag '" + tag + "' names version " + named.get() + ", not " + version);
        }
        return Optional.empty();
    }
}
