package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A set of local fake reefs: one Kubernetes API server (fabric8's mock server in CRUD mode) per reef, seeded with
 * customer instances, a simulated kubelet that rolls out changed pod templates, and the instances' health endpoints.
 *
 * <p>Used by {@code ./suite up} through {@link SandboxCommand} and by tests as a library:
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.start(SandboxSpec.defaults().withKubeletDelay(Duration.ofMillis(200)))) {
 *     KubernetesClient reef = sandbox.reefs().get(0).client();
 *     ...
 * }
 * }</pre>
 *
 * <p>Everything listens on 127.0.0.1 over plain HTTP. {@link #close()} stops every server and thread it started.
 */
public final class Sandbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Sandbox.class.getName());

    /** User of the sandbox kubeconfig; the mock servers accept any credentials. */
    static final String KUBECONFIG_USER = "sandbox";

    /**
     * The mock server logs every request at INFO, which buries everything else in a test log or a terminal. Held
     * here because java.util.logging keeps loggers only weakly, and a collected logger forgets its level.
     */
    private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

    /** Generous: seeding thousands of instances on a busy laptop takes a while, but never minutes. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    /** The audience of the tokens an instance's sidecar presents to its reef's cell. */
    public static final String CELL_AUDIENCE = "reefline-cell";

    /** How long the tokens in {@link #writeServiceAccountTokens} live; they are renewed well before. */
    static final Duration TOKEN_FILE_LIFETIME = Duration.ofHours(1);

    /** How often the restarts of crash-looping containers are written to their pods. */
    static final long RESTART_CHECK_EVERY = 250;

    private final SandboxSpec spec;
    private final List<SandboxReef> reefs;
    private final HealthServer health;
    private final Deque<AutoCloseable> resources;
    private final Map<String, ReefApiDispatcher> apis;
    private final InstancePods pods;
    private final ServiceAccountTokens tokens;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Kubelet> kubelets;
    private final TrafficModel model;
    private final Map<String, PodToken> cellTokens = new ConcurrentHashMap<>();
    private volatile SignalReporter signals;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** A pod's token for the cells, kept until its pod is replaced or it is a quarter through its life. */
    private record PodToken(String podName, String token, Instant issuedAt) {}

    private Sandbox(
            SandboxSpec spec,
            List<SandboxReef> reefs,
            HealthServer health,
            Deque<AutoCloseable> resources,
            Map<String, ReefApiDispatcher> apis,
            InstancePods pods,
            ServiceAccountTokens tokens,
            ScheduledExecutorService scheduler,
            Map<String, Kubelet> kubelets,
            TrafficModel model) {
        this.spec = spec;
        this.reefs = List.copyOf(reefs);
        this.health = health;
        this.resources = resources;
        this.apis = Map.copyOf(apis);
        this.pods = pods;
        this.tokens = tokens;
        this.scheduler = scheduler;
        this.kubelets = Map.copyOf(kubelets);
        this.model = model;
    }

    /**
     * Starts the reefs, seeds their instances and starts the kubelets. Returns once every kubelet has seen every
     * instance, so the sandbox is fully usable; on failure whatever was started is stopped again.
     */
    public static Sandbox start(SandboxSpec spec) throws IOException {
        quietMockServerLog();
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            Map<String, Kubelet> kubelets = new ConcurrentHashMap<>();
            TrafficModel model = new TrafficModel(spec.seed(), spec.faults());
            HealthServer health = HealthServer.start(
                    spec.healthPort(), reef -> Optional.ofNullable(kubelets.get(reef)), model, Clock.systemUTC());
            resources.push(health);

            List<ReefIdentity> identities = ReefIdentity.forCount(spec.reefs());
            List<SandboxReef> reefs = new ArrayList<>(identities.size());
            Map<String, ReefApiDispatcher> apis = new HashMap<>();
            for (int i = 0; i < identities.size(); i++) {
                reefs.add(startReef(
                        identities.get(i), spec.basePort() == 0 ? 0 : spec.basePort() + i, spec, resources, apis));
            }
            seed(reefs, spec, health);
            InstancePods pods = new InstancePods(reefs, spec);
            ServiceAccountTokens tokens = new ServiceAccountTokens(Clock.systemUTC());
            for (SandboxReef reef : reefs) {
                apis.get(reef.name())
                        .tokenReviewer(body -> tokens.review(
                                reef.name(), body, (namespace, pod) -> pods.exists(reef.name(), namespace, pod)));
            }

            ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, daemonThreads("sandbox-kubelet"));
            resources.push(() -> {
                scheduler.shutdownNow();
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            });
            List<CompletableFuture<Void>> watching = new ArrayList<>();
            for (SandboxReef reef : reefs) {
                Kubelet kubelet = new Kubelet(
                        reef.name(),
                        reef.client(),
                        spec,
                        scheduler,
                        Clock.systemUTC(),
                        deployment -> pods.rolledOut(reef.name(), deployment));
                resources.push(kubelet);
                watching.add(kubelet.start());
                kubelets.put(reef.name(), kubelet);
            }
            awaitAll(watching, "start the kubelets");
            Sandbox sandbox =
                    new Sandbox(spec, reefs, health, resources, apis, pods, tokens, scheduler, kubelets, model);
            scheduler.scheduleWithFixedDelay(
                    sandbox::writeRestarts, RESTART_CHECK_EVERY, RESTART_CHECK_EVERY, TimeUnit.MILLISECONDS);
            if (spec.signals().enabled()) {
                sandbox.startSignals();
            }
            return sandbox;
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static SandboxReef startReef(
            ReefIdentity identity,
            int port,
            SandboxSpec spec,
            Deque<AutoCloseable> resources,
            Map<String, ReefApiDispatcher> apis) {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        ReefApiDispatcher api = new ReefApiDispatcher(expectations);
        apis.put(identity.name(), api);
        KubernetesMockServer server = new KubernetesMockServer(
                new Context(Serialization.jsonMapper()), new MockWebServer(), expectations, api, false);
        server.init(InetAddress.getLoopbackAddress(), port);
        resources.push(server::destroy);
        String url = "http://127.0.0.1:" + server.getPort();
        // Config.empty(): a sandbox client must not pick up the developer's kubeconfig, token or proxy settings.
        KubernetesClient client = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl(url)
                        .withNamespace(spec.namespace())
                        .build())
                .build();
        resources.push(client);
        return new SandboxReef(identity.name(), identity.region(), url, client);
    }

    /** Seeds the reefs in parallel: each is a server of its own, and a fleet of thousands is worth not queueing. */
    private static void seed(List<SandboxReef> reefs, SandboxSpec spec, HealthServer health) throws IOException {
        Map<String, List<SeededInstance>> plan = InstanceSeeder.plan(spec).stream()
                .collect(Collectors.groupingBy(i -> i.reef().name()));
        Instant now = Instant.now();
        ExecutorService seeders =
                Executors.newFixedThreadPool(Math.min(reefs.size(), 8), daemonThreads("sandbox-seed"));
        try {
            List<CompletableFuture<Void>> seeding = new ArrayList<>();
            for (SandboxReef reef : reefs) {
                seeding.add(CompletableFuture.runAsync(
                        () -> {
                            reef.client()
                                    .namespaces()
                                    .resource(new NamespaceBuilder()
                                            .withNewMetadata()
                                            .withName(spec.namespace())
                                            .endMetadata()
                                            .build())
                                    .create();
                            for (SeededInstance instance : plan.get(reef.name())) {
                                reef.client()
                                        .apps()
                                        .deployments()
                                        .inNamespace(spec.namespace())
                                        .resource(InstanceSeeder.deployment(
                                                instance, spec, health.healthUrl(reef.name(), instance.id()), now))
                                        .create();
                            }
                        },
                        seeders));
            }
            awaitAll(seeding, "seed the reefs");
        } finally {
            seeders.shutdownNow();
        }
    }

    private static void awaitAll(List<CompletableFuture<Void>> steps, String what) throws IOException {
        try {
            CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new))
                    .get(STARTUP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            throw new IOException("Cannot " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Could not " + what + " within " + STARTUP_TIMEOUT.toSeconds() + " s", e);
        }
    }

    public SandboxSpec spec() {
        return spec;
    }

    /** The reefs in start order: {@code reef-us-1, reef-eu-1, reef-au-1, reef-us-2, ...}. */
    public List<SandboxReef> reefs() {
        return reefs;
    }

    public SandboxReef reef(String name) {
        return reefs.stream()
                .filter(r -> r.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No reef named '" + name + "'"));
    }

    /**
     * A service-account token of the running pod of instance {@code instanceId} of {@code reef} (made now if the
     * instance had no pod yet), for {@code audience}, valid for {@code lifetime} (negative: expired that long ago): what
     * kubelet projects into a pod that asks for it. The reef's API answers TokenReviews of it, and only while that pod
     * runs: a rollout replaces the pod and so ends its tokens.
     *
     * @throws IllegalArgumentException when the reef has no such instance
     */
    public String serviceAccountToken(String reef, String instanceId, String audience, Duration lifetime) {
        InstancePods.Pod pod = pods.podOf(reef, instanceId)
                .orElseThrow(() -> new IllegalArgumentException("No instance " + instanceId + " in reef " + reef));
        return tokens.issue(reef, pod, audience, lifetime);
    }

    /** The name of the running pod of an instance (made now if it had none yet), in the instances' namespace. */
    public String podName(String reef, String instanceId) {
        return pods.podOf(reef, instanceId)
                .orElseThrow(() -> new IllegalArgumentException("No instance " + instanceId + " in reef " + reef))
                .name();
    }

    /** How many TokenReviews the API server of {@code reef} has answered. */
    public int tokenReviews(String reef) {
        reef(reef);
        return apis.get(reef).tokenReviews();
    }

    /**
     * Writes the token of every instance's pod for {@code audience} where its sidecar would read it, {@code
     * <dir>/<reef>/<instance>/token}, and keeps them current as kubelet keeps a projected token current: rewritten
     * (atomically) when a rollout replaces the pod, and renewed every quarter of their lifetime of an hour.
     */
    public void writeServiceAccountTokens(Path dir, String audience) throws IOException {
        for (SandboxReef reef : reefs) {
            for (String instance : instanceIds(reef)) {
                writeToken(dir, reef.name(), instance, audience);
            }
        }
        pods.onReplaced(pod -> {
            try {
                writeToken(dir, pod.reef(), pod.instanceId(), audience);
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot write the token of " + pod.name(), e);
            }
        });
        long every = TOKEN_FILE_LIFETIME.dividedBy(4).toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> {
                    for (SandboxReef reef : reefs) {
                        for (String instance : instanceIds(reef)) {
                            try {
                                writeToken(dir, reef.name(), instance, audience);
                            } catch (IOException | RuntimeException e) {
                                LOG.log(System.Logger.Level.WARNING, "Cannot renew the token of " + instance, e);
                            }
                        }
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
    }

    private List<String> instanceIds(SandboxReef reef) {
        return reef.client().apps().deployments().inNamespace(spec.namespace()).list().getItems().stream()
                .map(d -> d.getMetadata().getName())
                .sorted()
                .toList();
    }

    private void writeToken(Path dir, String reef, String instanceId, String audience) throws IOException {
        // The cells' token is the one the signal reports send too, as a sidecar sends what its file holds.
        String token = CELL_AUDIENCE.equals(audience)
                ? cellToken(reef, instanceId)
                        .orElseThrow(
                                () -> new IllegalArgumentException("No instance " + instanceId + " in reef " + reef))
                : serviceAccountToken(reef, instanceId, audience, TOKEN_FILE_LIFETIME);
        writeAtomically(dir.resolve(reef).resolve(instanceId).resolve("token"), token);
    }

    /**
     * Writes each crash-looping container's restarts to its pod (restartCount, state, last state), as kubelet reports
     * them, within {@value #RESTART_CHECK_EVERY} ms of the restart.
     */
    private void writeRestarts() {
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Kubelet> reef : kubelets.entrySet()) {
            for (InstanceTimeline timeline : reef.getValue().timelines()) {
                timeline.runAt(now)
                        .filter(run -> run.behaviour() == ImageBehaviour.CRASHLOOP)
                        .ifPresent(run -> {
                            try {
                                pods.restarted(
                                        reef.getKey(),
                                        timeline.instanceId(),
                                        (int) model.restarts(run, now),
                                        Instant.ofEpochMilli(model.processStart(run, now)));
                            } catch (RuntimeException e) {
                                if (!closed.get()) {
                                    LOG.log(
                                            System.Logger.Level.WARNING,
                                            "Cannot write the restarts of " + timeline.instanceId(),
                                            e);
                                }
                            }
                        });
            }
        }
    }

    private void startSignals() {
        SignalReporter reporter = new SignalReporter(
                spec.signals(),
                model,
                new SignalReporter.Fleet() {
                    @Override
                    public List<InstanceTimeline> timelines(String reef) {
                        return Sandbox.this.timelines(reef);
                    }

                    @Override
                    public Optional<String> token(String reef, String instanceId) {
                        return cellToken(reef, instanceId);
                    }
                },
                Clock.systemUTC());
        resources.push(reporter);
        signals = reporter;
        reporter.start(scheduler);
    }

    /** The pods every instance of {@code reef} has run, by instance id; empty for an unknown reef. */
    List<InstanceTimeline> timelines(String reef) {
        Kubelet kubelet = kubelets.get(reef);
        return kubelet == null ? List.of() : kubelet.timelines();
    }

    TrafficModel trafficModel() {
        return model;
    }

    /** The token of the instance's current pod for the cells, as its sidecar reads it from the projected file. */
    Optional<String> cellToken(String reef, String instanceId) {
        Optional<InstancePods.Pod> pod = pods.podOf(reef, instanceId);
        if (pod.isEmpty()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        PodToken held = cellTokens.get(reef + "/" + instanceId);
        if (held != null
                && held.podName().equals(pod.get().name())
                && held.issuedAt().plus(TOKEN_FILE_LIFETIME.dividedBy(4)).isAfter(now)) {
            return Optional.of(held.token());
        }
        String token = tokens.issue(reef, pod.get(), CELL_AUDIENCE, TOKEN_FILE_LIFETIME);
        cellTokens.put(reef + "/" + instanceId, new PodToken(pod.get().name(), token, now));
        return Optional.of(token);
    }

    /** The signal reporter, when {@link SandboxSpec#signals()} names cells. */
    Optional<SignalReporter> signals() {
        return Optional.ofNullable(signals);
    }

    /** The metrics endpoint of an instance: its request counters in the Prometheus text format. */
    public String metricsUrl(String reef, String instanceId) {
        return health.metricsUrl(reef, instanceId);
    }

    /** The health URL of an instance, as in its {@code reefline.io/health-url} annotation. */
    public String healthUrl(String reef, String instanceId) {
        return health.healthUrl(reef, instanceId);
    }

    /**
     * Writes a kubeconfig with one context per reef, named after it, in the instances' namespace. The current
     * context is the first reef.
     */
    public void writeKubeconfig(Path file) throws IOException {
        io.fabric8.kubernetes.api.model.Config kubeconfig = new io.fabric8.kubernetes.api.model.ConfigBuilder()
                .withApiVersion("v1")
                .withKind("Config")
                .withCurrentContext(reefs.get(0).name())
                .withClusters(reefs.stream()
                        .map(reef -> new NamedClusterBuilder()
                                .withName(reef.name())
                                .withNewCluster()
                                .withServer(reef.url())
                                .withInsecureSkipTlsVerify(true)
                                .endCluster()
                                .build())
                        .toList())
                .withContexts(reefs.stream()
                        .map(reef -> new NamedContextBuilder()
                                .withName(reef.name())
                                .withNewContext()
                                .withCluster(reef.name())
                                .withUser(KUBECONFIG_USER)
                                .withNamespace(spec.namespace())
                                .endContext()
                                .build())
                        .toList())
                .withUsers(new NamedAuthInfoBuilder()
                        .withName(KUBECONFIG_USER)
                        .withNewUser()
                        .withToken("sandbox-not-a-secret")
                        .endUser()
                        .build())
                .build();
        writeAtomically(file, Serialization.asYaml(kubeconfig));
    }

    /**
     * Writes the reefs for the rollout-service as properties: {@code reefline.kubeconfig} (absolute path of
     * {@code kubeconfig}), per reef, {@code reefline.reefs.<name>.context} and {@code reefline.reefs.<name>.region}, and
     * {@code reefline.outgoing.allowed-ranges}: the instances' health URLs are on this machine's loopback, which
     * rollout-service refuses to call unless told.
     */
    public void writeStateFile(Path file, Path kubeconfig) throws IOException {
        StringBuilder properties = new StringBuilder()
                .append("# Reefs of the running sandbox, written by `sandbox reefs`\n")
                .append("reefline.kubeconfig=")
                .append(propertyValue(kubeconfig.toAbsolutePath().normalize().toString()))
                .append('\n');
        for (SandboxReef reef : reefs) {
            String prefix = "reefline.reefs." + reef.name() + ".";
            properties.append(prefix).append("context=").append(reef.name()).append('\n');
            properties.append(prefix).append("region=").append(reef.region()).append('\n');
        }
        properties.append("# The health URLs of the sandbox's instances are on 127.0.0.1\n");
        properties.append("reefline.outgoing.allowed-ranges=127.0.0.1/32\n");
        writeAtomically(file, properties.toString());
    }

    /** Readers polling for the file (the suite, a service starting up) never see half of it. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temporary =
                Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temporary, content);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static String propertyValue(String value) {
        return value.replace("\\", "\\\\");
    }

    /** Stops the kubelets, the API servers and the health server. Safe to call more than once. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(resources);
        }
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Could not stop part of the sandbox", e);
            }
        }
    }

    /** Only lowered when nobody configured the level, so a deliberate DEBUG setup still sees the requests. */
    private static void quietMockServerLog() {
        synchronized (MOCK_SERVER_LOG) {
            if (MOCK_SERVER_LOG.getLevel() == null) {
                MOCK_SERVER_LOG.setLevel(Level.WARNING);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
