package io.reefline.sandbox;

/**
 * One pod of an instance from the moment it serves (or, for a pod that never becomes available, from the moment it
 * replaced the previous one) until the next one replaces it.
 *
 * @param sinceMillis when it started, epoch milliseconds
 * @param image the image of its product container
 * @param available whether it became available (false for a {@code broken} build, or a Deployment scaled to zero)
 */
record PodRun(long sinceMillis, String image, boolean available) {

    ImageBehaviour behaviour() {
        return ImageBehaviour.of(image);
    }

    /** The version the pod runs: its image tag. */
    String version() {
        return ImageBehaviour.tag(image);
    }
}
