package io.reefline.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Sandbox} starts: how many reefs, how many customer instances each, and how its simulated kubelet
 * behaves.
 *
 * <p>Start from {@link #defaults()} and change what a test or demo needs with the {@code with...} methods.
 *
 * @param reefs number of fake reefs (Kubernetes API servers)
 * @param instancesPerReef customer instances seeded into each reef
 * @param seed seed of everything random in the seeding (tenants, maintenance windows, active flags, rings), so the
 *     same seed gives the same fleet
 * @param kubeletDelay how long the simulated kubelet takes to make a new pod template available
 * @param basePort port of the first reef's API server (the others follow it); 0 picks free ports
 * @param containerName name of the container that carries the product image
 * @param namespace namespace the instances live in
 * @param currentImage image every instance runs at start
 * @param healthPort port of the instances' health endpoint; 0 picks a free port
 * @param includeMalformedInstance whether one instance gets a malformed maintenance window, so that discovery's
 *     validation errors can be demonstrated
 */
public record SandboxSpec(
        int reefs,
        int instancesPerReef,
        long seed,
        Duration kubeletDelay,
        int basePort,
        String containerName,
        String namespace,
        String currentImage,
        int healthPort,
        boolean includeMalformedInstance) {

    public static final int DEFAULT_REEFS = 3;
    public static final int DEFAULT_INSTANCES_PER_REEF = 40;
    public static final long DEFAULT_SEED = 42;
    public static final Duration DEFAULT_KUBELET_DELAY = Duration.ofSeconds(2);
    public static final String DEFAULT_CONTAINER_NAME = "app";
    public static final String DEFAULT_NAMESPACE = "instances";
    public static final String DEFAULT_IMAGE = "registry.reefline.local/product:2026.11.0";

    public SandboxSpec {
        if (reefs < 1) {
            throw new IllegalArgumentException("reefs must be at least 1, was " + reefs);
        }
        if (instancesPerReef < 1) {
            throw new IllegalArgumentException("instancesPerReef must be at least 1, was " + instancesPerReef);
        }
        Objects.requireNonNull(kubeletDelay, "kubeletDelay");
        if (kubeletDelay.isNegative()) {
            throw new IllegalArgumentException("kubeletDelay must not be negative, was " + kubeletDelay);
        }
        // Reef i listens on basePort + i, so the whole range has to be valid.
        if (basePort < 0 || basePort + reefs - 1 > 65535) {
            throw new IllegalArgumentException("basePort must be 0 or leave room for " + reefs + " ports up to 65535");
        }
        if (healthPort < 0 || healthPort > 65535) {
            throw new IllegalArgumentException("healthPort must be 0-65535, was " + healthPort);
        }
        requireDnsLabel(containerName, "containerName");
        requireDnsLabel(namespace, "namespace");
        if (currentImage == null || currentImage.isBlank()) {
            throw new IllegalArgumentException("currentImage must not be blank");
        }
    }

    /** Three reefs of 40 instances, seed 42, a 2 s kubelet, free ports, one malformed maintenance window. */
    public static SandboxSpec defaults() {
        return new SandboxSpec(
                DEFAULT_REEFS,
                DEFAULT_INSTANCES_PER_REEF,
                DEFAULT_SEED,
                DEFAULT_KUBELET_DELAY,
                0,
                DEFAULT_CONTAINER_NAME,
                DEFAULT_NAMESPACE,
                DEFAULT_IMAGE,
                0,
                true);
    }

    public SandboxSpec withReefs(int value) {
        return new SandboxSpec(
                value,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withInstancesPerReef(int value) {
        return new SandboxSpec(
                reefs,
                value,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withSeed(long value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                value,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withKubeletDelay(Duration value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                value,
                basePort,
                containerName,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withBasePort(int value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                value,
                containerName,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withContainerName(String value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                value,
                namespace,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withNamespace(String value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                value,
                currentImage,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withCurrentImage(String value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                value,
                healthPort,
                includeMalformedInstance);
    }

    public SandboxSpec withHealthPort(int value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                currentImage,
                value,
                includeMalformedInstance);
    }

    public SandboxSpec withMalformedInstance(boolean value) {
        return new SandboxSpec(
                reefs,
                instancesPerReef,
                seed,
                kubeletDelay,
                basePort,
                containerName,
                namespace,
                currentImage,
                healthPort,
                value);
    }

    private static void requireDnsLabel(String value, String field) {
        if (value == null || !value.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(field + " must be a DNS-1123 label, was '" + value + "'");
        }
    }
}
