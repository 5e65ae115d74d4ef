package io.reefline.rollout.domain.fleet;

import java.util.Optional;

/** The version an image reference names in its tag: {@code registry:5000/product:2026.11.0@sha256:...}. */
public final class ImageVersion {

    private ImageVersion() {}

    /** The tag of an image reference; empty when it has none. A digest suffix is ignored. */
    public static String tag(String image) {
        if (image == null) {
            return "";
        }
        int at = image.indexOf('@');
        String name = at >= 0 ? image.substring(0, at) : image;
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        return colon > slash ? name.substring(colon + 1) : "";
    }

    /** The version the image's tag names; empty when the tag is missing or not a version. */
    public static Optional<Version> of(String image) {
        String tag = tag(image);
        if (tag.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Version.parse(tag));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
