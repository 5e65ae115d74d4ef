package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * A stand-in for the deployment controller and kubelets of one reef: it rolls out every new pod template of the
 * Deployments in the instances' namespace and reports the outcome in their status, and it knows which image each
 * instance is serving.
 *
 * <p>It works from an informer (list and watch), which the CRUD mock server supports. A new pod template shows up as
 * a new {@code metadata.generation}: the mock raises it on every change outside {@code metadata} and {@code status},
 * like a real API server. A rollout reports "rolling" at once and its outcome after the kubelet delay: available on
 * the new image, or, when the image tag contains {@code broken}, never available and, after
 * {@value #DEADLINE_FACTOR} times the delay in all, past its progress deadline.
 *
 * <p>Each instance's pods are kept as {@link PodRun}s (the last {@value #KEPT_RUNS}): from when each served which
 * image. The health and metrics endpoints and the signal reports read them through {@link InstanceTimeline}.
 */
final class Kubelet implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Kubelet.class.getName());

    /** The progress deadline of a rollout, in kubelet delays from its start (real reefs wait 10 minutes). */
    static final int DEADLINE_FACTOR = 3;

    /** Status writes race with clients patching the same Deployment; a conflict just means "read it again". */
    private static final int MAX_CONFLICT_RETRIES = 5;

    private final String reef;
    private final KubernetesClient client;
    private final String namespace;
    private final String containerName;
    private final Duration delay;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Map<String, Pods> pods = new ConcurrentHashMap<>();
    private final Consumer<Deployment> rolledOut;
    private volatile SharedIndexInformer<Deployment> informer;

    /** The pod runs kept per instance: enough for a window being reported or retried, not a history. */
    static final int KEPT_RUNS = 8;

    /** What runs for one instance: the newest generation handed to a rollout, and the pods it has run. */
    private static final class Pods {
        long generation;
        /** Newest last; empty until the instance's first rollout has an outcome. */
        List<PodRun> runs = List.of();
    }

    /** @param rolledOut told of every Deployment whose new pods now run (available or not) */
    Kubelet(
            String reef,
            KubernetesClient client,
            SandboxSpec spec,
            ScheduledExecutorService scheduler,
            Clock clock,
            Consumer<Deployment> rolledOut) {
        this.reef = reef;
        this.rolledOut = rolledOut;
        this.client = client;
        this.namespace = spec.namespace();
        this.containerName = spec.containerName();
        this.delay = spec.kubeletDelay();
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /**
     * Starts watching. Completes once every existing Deployment has been seen, so that health answers are complete
     * from then on.
     */
    CompletableFuture<Void> start() {
        SharedIndexInformer<Deployment> deployments =
                client.apps().deployments().inNamespace(namespace).runnableInformer(0);
        deployments.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Deployment deployment) {
                observe(deployment);
            }

            @Override
            public void onUpdate(Deployment oldDeployment, Deployment deployment) {
                observe(deployment);
            }

            @Override
            public void onDelete(Deployment deployment, boolean finalStateUnknown) {
                pods.remove(deployment.getMetadata().getName());
            }
        });
        informer = deployments;
        return deployments.start().toCompletableFuture();
    }

    /** The pods instance {@code id} has run, empty when this reef has no such instance. */
    Optional<InstanceTimeline> timeline(String id) {
        Pods state = pods.get(id);
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.of(new InstanceTimeline(reef, id, state.runs));
        }
    }

    /** The pods every instance of this reef has run, by instance id. */
    List<InstanceTimeline> timelines() {
        List<InstanceTimeline> all = new ArrayList<>(pods.size());
        pods.forEach((id, state) -> {
            synchronized (state) {
                all.add(new InstanceTimeline(reef, id, state.runs));
            }
        });
        all.sort(Comparator.comparing(InstanceTimeline::instanceId));
        return all;
    }

    private void observe(Deployment deployment) {
        String name = deployment.getMetadata().getName();
        long generation = generation(deployment);
        Pods state = pods.computeIfAbsent(name, n -> firstSight(deployment));
        synchronized (state) {
            if (generation <= state.generation) {
                return; // a status write, a metadata change, or a template already being rolled out
            }
            state.generation = generation;
        }
        schedule(() -> beginRollout(name, generation), Duration.ZERO);
    }

    /**
     * A Deployment whose status already covers its generation (every seeded instance) is taken as rolled out long
     * ago; any other one is rolled out from scratch.
     */
    private Pods firstSight(Deployment deployment) {
        Pods state = new Pods();
        DeploymentStatus status = deployment.getStatus();
        long observed = status == null || status.getObservedGeneration() == null ? 0 : status.getObservedGeneration();
        if (status != null && observed >= generation(deployment)) {
            state.generation = observed;
            boolean available = status.getAvailableReplicas() != null && status.getAvailableReplicas() > 0;
            state.runs = List.of(new PodRun(clock.millis(), image(deployment), available));
        }
        return state;
    }

    private void beginRollout(String name, long generation) {
        Optional<Deployment> rolling = writeStatus(
                name,
                generation,
                (deployment, status) -> DeploymentStatuses.rolling(
                        status == null ? new DeploymentStatus() : status, replicas(deployment), clock.instant()));
        if (rolling.isPresent()) {
            schedule(() -> finishRollout(name, generation), delay);
        }
    }

    private void finishRollout(String name, long generation) {
        // The new pods serve before the status says so, as on a real cluster: whoever sees Available on the new
        // generation must already get the new image from the health endpoint.
        Pods state = pods.get(name);
        List<PodRun> servedBefore = state == null ? List.of() : serveNewTemplate(state, name, generation);
        Optional<Deployment> finished = writeStatus(name, generation, (deployment, status) -> {
            List<DeploymentCondition> conditions = status == null ? List.of() : status.getConditions();
            return isBroken(image(deployment))
                    ? DeploymentStatuses.failing(generation, replicas(deployment), conditions, clock.instant())
                    : DeploymentStatuses.available(generation, replicas(deployment), conditions, clock.instant());
        });
        if (finished.isEmpty()) {
            if (state != null) {
                synchronized (state) {
                    if (state.generation == generation) {
                        state.runs = servedBefore;
                    }
                }
            }
            return;
        }
        rolledOut.accept(finished.get());
        if (isBroken(image(finished.get()))) {
            schedule(() -> exceedDeadline(name, generation), delay.multipliedBy(DEADLINE_FACTOR - 1));
        }
    }

    /** Starts a pod of the template of {@code generation}; returns the instance's runs before it. */
    private List<PodRun> serveNewTemplate(Pods state, String name, long generation) {
        Deployment current = client.apps()
                .deployments()
                .inNamespace(namespace)
                .withName(name)
                .get();
        synchronized (state) {
            List<PodRun> before = state.runs;
            if (current != null && state.generation == generation && generation(current) == generation) {
                boolean broken = isBroken(image(current));
                List<PodRun> runs = new ArrayList<>(before);
                runs.add(new PodRun(clock.millis(), image(current), !broken && replicas(current) > 0));
                state.runs = List.copyOf(runs.subList(Math.max(0, runs.size() - KEPT_RUNS), runs.size()));
            }
            return before;
        }
    }

    private void exceedDeadline(String name, long generation) {
        writeStatus(name, generation, (deployment, status) -> {
            boolean stillFailing = status != null
                    && status.getAvailableReplicas() != null
                    && status.getAvailableReplicas() < replicas(deployment);
            return stillFailing ? DeploymentStatuses.deadlineExceeded(status, clock.instant()) : null;
        });
    }

    /**
     * Replaces the status of Deployment {@code name} with what {@code next} makes of it, as long as the Deployment is
     * still at {@code generation}: a newer template has its own rollout, which this one must not overwrite. The write
     * carries the resourceVersion just read, so a concurrent change makes it fail with a conflict and the whole
     * decision is taken again on fresh data.
     *
     * @param next returns the new status, or {@code null} to leave the Deployment alone
     * @return the Deployment as written, empty when nothing was written
     */
    private Optional<Deployment> writeStatus(
            String name, long generation, BiFunction<Deployment, DeploymentStatus, DeploymentStatus> next) {
        for (int attempt = 1; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
            Deployment current = client.apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName(name)
                    .get();
            if (current == null || generation(current) != generation) {
                return Optional.empty();
            }
            DeploymentStatus status = next.apply(current, current.getStatus());
            if (status == null) {
                return Optional.empty();
            }
            current.setStatus(status);
            try {
                return Optional.of(client.apps()
                        .deployments()
                        .inNamespace(namespace)
                        .resource(current)
                        .updateStatus());
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
            }
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "{0}: gave up writing the status of {1} after {2} conflicts",
                reef,
                name,
                MAX_CONFLICT_RETRIES);
        return Optional.empty();
    }

    private void schedule(Runnable step, Duration after) {
        Runnable logged = () -> {
            try {
                step.run();
            } catch (RuntimeException e) {
                // A step cut short by close() has nothing left to report to.
                if (!scheduler.isShutdown()) {
                    LOG.log(System.Logger.Level.WARNING, reef + ": kubelet step failed", e);
                }
            }
        };
        try {
            scheduler.schedule(logged, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // The sandbox is closing: nothing is left to roll out to.
        }
    }

    /** The image of the product container, found by name as the rollout-service finds it. */
    private String image(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        return containers.stream()
                .filter(c -> containerName.equals(c.getName()))
                .findFirst()
                .or(() -> containers.stream().findFirst())
                .map(Container::getImage)
                .orElse(null);
    }

    /** An image whose tag contains {@code broken} stands for a build that crashes on start. */
    static boolean isBroken(String image) {
        return ImageBehaviour.of(image) == ImageBehaviour.BROKEN;
    }

    private static int replicas(Deployment deployment) {
        Integer replicas = deployment.getSpec().getReplicas();
        return replicas == null ? 1 : replicas;
    }

    private static long generation(Deployment deployment) {
        Long generation = deployment.getMetadata().getGeneration();
        return generation == null ? 0 : generation;
    }

    @Override
    public void close() {
        SharedIndexInformer<Deployment> running = informer;
        if (running != null) {
            running.close();
        }
    }
}
