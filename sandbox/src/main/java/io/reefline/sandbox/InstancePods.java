package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The pods of the sandbox's instances, as Pod objects in each reef's API (so that whoever reviews a pod's token can
 * read the pod, as the cell does): one running pod per instance, built from its Deployment's pod template, made on
 * first need (a token is asked for) rather than at seeding, and replaced by a new pod (new name, new uid, the new
 * image) whenever the kubelet rolls the instance out, as a Deployment's ReplicaSet would. A replaced pod's tokens stop
 * being valid, as bound tokens do.
 */
final class InstancePods {

    /** The service account instance pods run as, as in a namespace nobody configured further. */
    static final String SERVICE_ACCOUNT = "default";

    /** One running pod of an instance. */
    record Pod(
            String reef,
            String instanceId,
            String namespace,
            String name,
            String uid,
            String serviceAccount,
            String serviceAccountUid,
            String image) {}

    private final Map<String, SandboxReef> reefs = new LinkedHashMap<>();
    private final SandboxSpec spec;
    private final Map<String, Pod> pods = new ConcurrentHashMap<>();
    /** The uid of each running pod, by {@code reef/namespace/name}. */
    private final Map<String, String> running = new ConcurrentHashMap<>();

    /** The restart count last written to each pod's status, by {@code reef/namespace/name}. */
    private final Map<String, Integer> restartCounts = new ConcurrentHashMap<>();

    private final List<Consumer<Pod>> replacedListeners = new CopyOnWriteArrayList<>();

    InstancePods(List<SandboxReef> reefs, SandboxSpec spec) {
        reefs.forEach(reef -> this.reefs.put(reef.name(), reef));
        this.spec = spec;
    }

    /** The running pod of an instance, made now if it has none yet; empty when the reef has no such instance. */
    Optional<Pod> podOf(String reef, String instanceId) {
        SandboxReef where = reefs.get(reef);
        if (where == null) {
            return Optional.empty();
        }
        synchronized (this) {
            Pod pod = pods.get(key(reef, instanceId));
            if (pod != null) {
                return Optional.of(pod);
            }
            Deployment deployment = where.client()
                    .apps()
                    .deployments()
                    .inNamespace(spec.namespace())
                    .withName(instanceId)
                    .get();
            if (deployment == null) {
                return Optional.empty();
            }
            Pod created = create(where, deployment);
            pods.put(key(reef, instanceId), created);
            running.put(podKey(created), created.uid());
            return Optional.of(created);
        }
    }

    /** Whether {@code namespace} of {@code reef} has a pod {@code name/uid} now. */
    boolean exists(String reef, String namespace, String nameAndUid) {
        int slash = nameAndUid.indexOf('/');
        if (slash < 0) {
            return false;
        }
        String uid = running.get(reef + "/" + namespace + "/" + nameAndUid.substring(0, slash));
        return uid != null && uid.equals(nameAndUid.substring(slash + 1));
    }

    /**
     * The product container of the instance's pod has restarted {@code restarts} times in all, the last time at
     * {@code lastStart}: written to the pod's status ({@code restartCount}, the running state's start and the
     * terminated last state), as kubelet reports a crash-looping container. Nothing happens when the instance has no
     * pod yet or the count is already written.
     */
    void restarted(String reef, String instanceId, int restarts, Instant lastStart) {
        SandboxReef where = reefs.get(reef);
        Pod pod = pods.get(key(reef, instanceId));
        if (where == null || pod == null) {
            return;
        }
        String key = podKey(pod);
        Integer written = restartCounts.get(key);
        if (written != null && written == restarts) {
            return;
        }
        io.fabric8.kubernetes.api.model.Pod current = where.client()
                .pods()
                .inNamespace(pod.namespace())
                .withName(pod.name())
                .get();
        if (current == null || current.getStatus() == null) {
            return;
        }
        String started = lastStart.truncatedTo(ChronoUnit.SECONDS).toString();
        for (ContainerStatus container : current.getStatus().getContainerStatuses()) {
            if (spec.containerName().equals(container.getName())) {
                container.setRestartCount(restarts);
                container.setState(new ContainerStateBuilder()
                        .withNewRunning()
                        .withStartedAt(started)
                        .endRunning()
                        .build());
                container.setLastState(new ContainerStateBuilder()
                        .withNewTerminated()
                        .withExitCode(137)
                        .withReason("Error")
                        .withFinishedAt(started)
                        .endTerminated()
                        .build());
            }
        }
        where.client().pods().inNamespace(pod.namespace()).resource(current).updateStatus();
        restartCounts.put(key, restarts);
    }

    /** Called with each new pod that replaced an instance's old one. */
    void onReplaced(Consumer<Pod> listener) {
        replacedListeners.add(listener);
    }

    /**
     * The kubelet rolled {@code deployment} out: its pod (if it has one yet) is replaced by a pod of the new template,
     * also when that one never becomes ready (a broken build still runs, and its sidecar still reports).
     */
    void rolledOut(String reef, Deployment deployment) {
        SandboxReef where = reefs.get(reef);
        String instanceId = deployment.getMetadata().getName();
        Pod replacement;
        synchronized (this) {
            Pod old = pods.get(key(reef, instanceId));
            if (where == null || old == null) {
                return;
            }
            replacement = create(where, deployment);
            pods.put(key(reef, instanceId), replacement);
            running.remove(podKey(old));
            restartCounts.remove(podKey(old));
            running.put(podKey(replacement), replacement.uid());
            where.client()
                    .pods()
                    .inNamespace(old.namespace())
                    .withName(old.name())
                    .delete();
        }
        replacedListeners.forEach(listener -> listener.accept(replacement));
    }

    private Pod create(SandboxReef reef, Deployment deployment) {
        String instanceId = deployment.getMetadata().getName();
        String namespace = spec.namespace();
        String uid = UUID.randomUUID().toString();
        String templateHash =
                Integer.toHexString(deployment.getSpec().getTemplate().hashCode() & 0x7fffffff);
        String name = instanceId + "-" + templateHash + "-" + uid.substring(0, 5);
        PodSpec podSpec = deployment.getSpec().getTemplate().getSpec();
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, String> templateLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        if (templateLabels != null) {
            labels.putAll(templateLabels);
        }
        labels.put("pod-template-hash", templateHash);
        io.fabric8.kubernetes.api.model.Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(namespace)
                .withUid(uid)
                .withLabels(labels)
                .endMetadata()
                .withNewSpecLike(podSpec)
                .withServiceAccountName(SERVICE_ACCOUNT)
                .withNodeName("sandbox-node-1")
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withContainerStatuses(podSpec.getContainers().stream()
                        .map(c -> new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withReady(true)
                                .withStarted(true)
                                .withRestartCount(0)
                                .withNewState()
                                .withNewRunning()
                                .withStartedAt(Instant.now()
                                        .truncatedTo(ChronoUnit.SECONDS)
                                        .toString())
                                .endRunning()
                                .endState()
                                .build())
                        .toList())
                .endStatus()
                .build();
        io.fabric8.kubernetes.api.model.Pod stored =
                reef.client().pods().inNamespace(namespace).resource(pod).create();
        String image = podSpec.getContainers().stream()
                .filter(c -> spec.containerName().equals(c.getName()))
                .findFirst()
                .map(c -> c.getImage())
                .orElse(null);
        String storedUid = stored.getMetadata().getUid() == null
                ? uid
                : stored.getMetadata().getUid();
        return new Pod(
                reef.name(),
                instanceId,
                namespace,
                name,
                storedUid,
                SERVICE_ACCOUNT,
                UUID.nameUUIDFromBytes((reef.name() + "/" + namespace + "/" + SERVICE_ACCOUNT)
                                .getBytes(StandardCharsets.UTF_8))
                        .toString(),
                image);
    }

    private static String podKey(Pod pod) {
        return pod.reef() + "/" + pod.namespace() + "/" + pod.name();
    }

    private static String key(String reef, String instanceId) {
        return reef + "/" + instanceId;
    }
}
