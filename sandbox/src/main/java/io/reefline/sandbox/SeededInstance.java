package io.reefline.sandbox;

/**
 * One customer instance as the sandbox seeds it.
 *
 * @param ring {@code staff}, {@code laggard} or {@code null} when the instance is not pinned to a ring
 */
record SeededInstance(
        ReefIdentity reef, String id, String tenant, String maintenanceWindow, boolean active, String ring) {}
