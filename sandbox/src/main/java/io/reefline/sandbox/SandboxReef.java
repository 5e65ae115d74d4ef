package io.reefline.sandbox;

import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * One fake reef of a running {@link Sandbox}: a Kubernetes API server holding its customer instances.
 *
 * @param name reef name, also its kubeconfig context, e.g. {@code reef-eu-1}
 * @param region {@code us}, {@code eu} or {@code au}
 * @param url base URL of its API server, e.g. {@code http://127.0.0.1:41234}
 * @param client a client of its API server; owned by the sandbox, which closes it
 */
public record SandboxReef(String name, String region, String url, KubernetesClient client) {}
