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
}
