package io.reefline.rollout.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One cell: a Kubernetes API with the instances it hosts, and what its probes saw: whether it answers now, since when
 * it does not, and when it last did.
 */
public final class Reef {

    /** The result of the last reachability probe. */
    public record Probe(boolean reachable, Instant at, String error) {
        static final Probe NEVER = new Probe(false, null, "not probed yet");
    }

    /**
     * What the probes say about a reef. {@code unreachableSince}: the first failed probe of the current run of failures
     * (null while it answers); {@code lastContact}: the last probe it answered (null: never since this service started).
     */
    public record Reachability(Probe lastProbe, Instant unreachableSince, Instant lastContact) {

        public boolean reachable() {
            return lastProbe.reachable();
        }

        /** {@code reachable}, {@code unreachable}, or {@code unknown} before the first probe. */
        public String state() {
            return lastProbe.at() == null ? "unknown" : lastProbe.reachable() ? "reachable" : "unreachable";
        }
    }

    private final String name;
    private final String region;
    private final String apiServer;
    private final KubernetesClient client;
    private volatile Reachability reachability = new Reachability(Probe.NEVER, null, null);
    private volatile UpgradeCalls upgradeCalls = UpgradeCalls.HEALTHY;
    private final AtomicBoolean probing = new AtomicBoolean();

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
        return reachability.lastProbe();
    }

    /** Set while a background probe of this reef runs. */
    AtomicBoolean probing() {
        return probing;
    }

    public Reachability reachability() {
        return reachability;
    }

    /**
     * Records a probe; returns true when it answered after one or more probes that did not: the reef is back.
     * Synchronized: the probe job and a caller of the API may record at the same time.
     */
    synchronized boolean recordProbe(Probe probe) {
        Reachability before = reachability;
        if (probe.reachable()) {
            reachability = new Reachability(probe, null, probe.at());
            return before.unreachableSince() != null;
        }
        Instant since = before.unreachableSince() == null ? probe.at() : before.unreachableSince();
        reachability = new Reachability(probe, since, before.lastContact());
        return false;
    }

    public UpgradeCalls upgradeCalls() {
        return upgradeCalls;
    }

    /** Counts a failed call and sets when to try again; {@code backoff} maps the failure count to the wait. */
    public synchronized void upgradeCallFailed(
            String error, Instant now, java.util.function.IntFunction<java.time.Duration> backoff) {
        int failures = upgradeCalls.failures() + 1;
        upgradeCalls = new UpgradeCalls(failures, error, now.plus(backoff.apply(failures)));
    }

    /**
     * The reef answers again after an outage: the upgrade scheduler tries it on its next tick instead of waiting out
     * the rest of a backoff that grew while the reef was away. The failure count stays, so a reef that fails again
     * backs off longer.
     */
    public synchronized void retryUpgradeCallsAt(Instant now) {
        UpgradeCalls calls = upgradeCalls;
        if (calls.waiting(now)) {
            upgradeCalls = new UpgradeCalls(calls.failures(), calls.lastError(), now);
        }
    }

    public void upgradeCallSucceeded() {
        if (upgradeCalls.failures() == 0) {
            return; // the common case: no lock on every successful call
        }
        synchronized (this) {
            if (upgradeCalls.failures() > 0) {
                upgradeCalls = UpgradeCalls.HEALTHY;
            }
        }
    }
}
