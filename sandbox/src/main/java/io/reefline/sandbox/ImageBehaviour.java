package io.reefline.sandbox;

/**
 * How a build behaves in the sandbox, read from its image tag (the repository and registry never count, so that
 * {@code registry.broken.local/product:2026.11.0} is a good build).
 */
enum ImageBehaviour {
    /** Becomes available and serves with the instance's own seeded levels of traffic, errors and latency. */
    GOOD,
    /** Tag contains {@code degraded}: available and healthy, but serves the degraded error rate and latency. */
    DEGRADED,
    /** Tag contains {@code crashloop}: available and healthy at first, then its container restarts over and over. */
    CRASHLOOP,
    /** Tag contains {@code broken}: never becomes available (a build that crashes on start). */
    BROKEN;

    static ImageBehaviour of(String image) {
        if (image == null) {
            return BROKEN;
        }
        String tag = tag(image);
        if (tag.contains("broken")) {
            return BROKEN;
        }
        if (tag.contains("crashloop")) {
            return CRASHLOOP;
        }
        if (tag.contains("degraded")) {
            return DEGRADED;
        }
        return GOOD;
    }

    /**
     * The tag of an image reference, ignoring a digest; {@code latest} when it has none, as a container runtime reads
     * it. It is also the version the instance runs, as the rollout-service and the cell read it from the image.
     */
    static String tag(String image) {
        String reference = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : "latest";
    }
}
