package io.reefline.rollout.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;

/** One cell: a Kubernetes API with the instances it hosts, and what its last probe saw. */
public final class Reef {

    /** The result of the last reachability probe. */
    public record Probe(boolean reachable, Instant at, String error) {
        static final Probe NEVER = new Probe(false, null, "not probed yet");
    }

    private final String name;
    private final String region;
    private final String apiServer;
    private final KubernetesClient client;
    private volatile Probe lastProbe = Probe.NEVER;
    private volatile UpgradeCalls upgradeCalls = UpgradeCalls.HEALTHY;

    /**
     * How the upgrade scheduler's calls to this reef went: consecutive failures, the last error, and when it tries the
     * reef again. A failing reef waits out its backoff while the others go on.
     */
    public record UpgradeCalls(int failures, String lastError, Instant retryAt) {
        static final UpgradeCalls HEALTHY = new UpgradeCalls(0, null, null);

        public boolean waiting(Instant now) {
            return retryAt != null && now.isBefore(retryAt);
        }
    }

    Reef(String name, String region, KubernetesClient client) {
        this.name = name;
        this.region = region;
        this.client = client;
        this.apiServer = client.getConfiguration().getMasterUrl();
    }

    public String name() {
        return name;
    }

    public String region() {
        return region;
    }

    public String apiServer() {
        return apiServer;
    }

    public KubernetesClient client() {
        return client;
    }

    public Probe lastProbe() {
        return lastProbe;
    }

    void recordProbe(Probe probe) {
        this.lastProbe = probe;
    }

    public UpgradeCalls upgradeCalls() {
        return upgradeCalls;
    }

    /** Counts a failed call and sets when to try again; {@code backoff} maps the failure count to the wait. */
    public void upgradeCallFailed(
            String error, Instant now, java.util.function.IntFunction<java.time.Duration> backoff) {
        int failures = upgradeCalls.failures() + 1;
        upgradeCalls = new UpgradeCalls(failures, error, now.plus(backoff.apply(failures)));
    }

    public void upgradeCallSucceeded() {
        if (upgradeCalls.failures() > 0) {
            upgradeCalls = UpgradeCalls.HEALTHY;
        }
    }
}
