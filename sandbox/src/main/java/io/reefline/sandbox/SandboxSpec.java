package io.reefline.sandbox;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * @param faults how {@code degraded} and {@code crashloop} builds misbehave
 * @param signals where the instances' signal samples are reported (off by default)
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
        boolean includeMalformedInstance,
        ImageFaults faults,
        SignalReporting signals) {

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
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(signals, "signals");
        List<String> names =
                ReefIdentity.forCount(reefs).stream().map(ReefIdentity::name).toList();
        for (String reef : signals.cells().keySet()) {
            if (!names.contains(reef)) {
                throw new IllegalArgumentException(
                        "signals go to reef '" + reef + "', which the sandbox does not have (it has " + names + ")");
            }
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
                true,
                ImageFaults.defaults(),
                SignalReporting.off());
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                includeMalformedInstance,
                faults,
                signals);
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
                value,
                faults,
                signals);
    }

    public SandboxSpec withFaults(ImageFaults value) {
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
                includeMalformedInstance,
                value,
                signals);
    }

    /** The share of requests a {@code degraded} build answers with a 5xx (default 0.08). */
    public SandboxSpec withDegradedErrorRate(double value) {
        return withFaults(new ImageFaults(value, faults.degradedLatency(), faults.crashloopEvery()));
    }

    /** The mean request latency of a {@code degraded} build (default 400 ms). */
    public SandboxSpec withDegradedLatency(Duration value) {
        return withFaults(new ImageFaults(faults.degradedErrorRate(), value, faults.crashloopEvery()));
    }

    /** How often the container of a {@code crashloop} build restarts (default 2 minutes). */
    public SandboxSpec withCrashloopEvery(Duration value) {
        return withFaults(new ImageFaults(faults.degradedErrorRate(), faults.degradedLatency(), value));
    }

    public SandboxSpec withSignals(SignalReporting value) {
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
                includeMalformedInstance,
                faults,
                value);
    }

    /** Reports the samples of {@code reef}'s instances to the cell at {@code cellUrl} (adds to those already named). */
    public SandboxSpec withSignalsTo(String reef, URI cellUrl) {
        Map<String, URI> cells = new LinkedHashMap<>(signals.cells());
        cells.put(reef, cellUrl);
        return withSignals(new SignalReporting(cells, signals.interval()));
    }

    /**
     * Reports the samples of every reef to its cell, named by {@code template}: {@code {reef}} is replaced by the
     * reef's name and {@code {port:N}} by N for the first reef, N+1 for the second, and so on (the reefs in start order).
     * For example {@code http://localhost:{port:8091}} is what {@code ./suite} uses.
     */
    public SandboxSpec withSignalsToCells(String template) {
        Map<String, URI> cells = new LinkedHashMap<>(signals.cells());
        List<ReefIdentity> identities = ReefIdentity.forCount(reefs);
        for (int i = 0; i < identities.size(); i++) {
            cells.put(
                    identities.get(i).name(),
                    cellUrl(template, identities.get(i).name(), i));
        }
        return withSignals(new SignalReporting(cells, signals.interval()));
    }

    /** The length of a signal window (default 15 s, whole seconds). */
    public SandboxSpec withSignalsInterval(Duration value) {
        return withSignals(new SignalReporting(signals.cells(), value));
    }

    private static final Pattern PORT_PLACEHOLDER = Pattern.compile("\\{port:(\\d{1,5})}");

    static URI cellUrl(String template, String reef, int index) {
        Matcher port = PORT_PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        while (port.find()) {
            int value = Integer.parseInt(port.group(1)) + index;
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("the cell port of " + reef + " would be " + value);
            }
            port.appendReplacement(url, Integer.toString(value));
        }
        port.appendTail(url);
        String expanded = url.toString().replace("{reef}", reef);
        if (expanded.contains("{") || expanded.contains("}")) {
            throw new IllegalArgumentException(
                    "the cells' URL template may hold {reef} and {port:N} only, was '" + template + "'");
        }
        try {
            return new URI(expanded);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the cell URL of " + reef + " is not a URL: " + expanded);
        }
    }

    private static void requireDnsLabel(String value, String field) {
        if (value == null || !value.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(field + " must be a DNS-1123 label, was '" + value + "'");
        }
    }
}
