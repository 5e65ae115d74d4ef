package io.reefline.cell.relay;

/**
 * A customer instance's sidecar, proven by its pod's service-account token: the reef's Kubernetes API authenticated the
 * token as bound to {@code pod}, and that pod is labelled as instance {@code instanceId}.
 *
 * @param version the release the pod runs (its instance container's image tag), or null when that tag is no version
 */
public record InstanceCaller(
        String instanceId, String namespace, String pod, String serviceAccount, String image, String version) {

    /** Who pulled, as the hub records it (at most 200 characters). */
    public String name() {
        String full = "instance " + instanceId + " (pod " + namespace + "/" + pod + ")";
        return full.length() <= 200 ? full : "instance " + instanceId;
    }
}
