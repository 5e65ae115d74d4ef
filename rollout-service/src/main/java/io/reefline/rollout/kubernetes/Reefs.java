package io.reefline.rollout.kubernetes;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.ShutdownEvent;
import io.reefline.platform.config.ReeflineConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The configured reefs, each with its own Kubernetes client. A reef that cannot be reached is reported, never fatal:
 * one broken reef must not stop the others.
 */
@Singleton
public class Reefs {

    private static final Logger LOG = Logger.getLogger(Reefs.class);

    private final Map<String, Reef> byName;
    private final ReefSettings settings;
    private final Clock clock;

    /** Probes reefs in parallel; daemon threads, so a hanging probe never holds the JVM. */
    private final ExecutorService probes = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "reef-probe");
        thread.setDaemon(true);
        return thread;
    });

    Reefs(ReefSettings settings, ReeflineConfig reeflineConfig, KubernetesClient defaultClient, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        Map<String, Reef> reefs = new TreeMap<>();
        if (settings.reefs().isEmpty()) {
            String name = reeflineConfig.reef().name().orElse("local");
            reefs.put(name, new Reef(name, reeflineConfig.reef().region().orElse("local"), defaultClient));
        } else {
            Optional<String> kubeconfig = readKubeconfig(settings.kubeconfig());
            settings.reefs()
                    .forEach((name, reef) -> reefs.put(name, new Reef(name, reef.region(), client(reef, kubeconfig))));
        }
        this.byName = Collections.unmodifiableMap(reefs);
        LOG.infof(
                "Reefs: %s",
                byName.values().stream()
                        .map(r -> r.name() + " -> " + r.apiServer())
                        .toList());
    }

    public List<Reef> all() {
        return new ArrayList<>(byName.values());
    }

    public Optional<Reef> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * Every reef with a probe no older than {@code reefline.kubernetes.probe-max-age}: a reef whose last answer is
     * older is asked again (for one item of the instance namespace's Deployments). The probe job, the API and the page
     * read through here, so frequent callers do not each send a request to every reef. Stale reefs that answered last
     * time are asked in parallel and waited for; a reef that did not answer last time is asked in the background (one
     * probe at a time) and shown as it was, so a reef whose network drops packets never makes a caller wait for its
     * timeouts. Readiness and metrics never probe: they read {@link #all()}.
     */
    public List<Reef> probed() {
        Instant now = clock.instant();
        List<Reef> waitFor = new ArrayList<>();
        for (Reef reef : byName.values()) {
            Reef.Probe last = reef.lastProbe();
            if (last.at() != null
                    && last.at().plus(settings.kubernetes().probeMaxAge()).isAfter(now)) {
                continue;
            }
            if (last.at() != null && !last.reachable()) {
                probeInBackground(reef);
            } else {
                waitFor.add(reef);
            }
        }
        if (waitFor.size() == 1) {
            probe(waitFor.get(0));
        } else if (!waitFor.isEmpty()) {
            CompletableFuture.allOf(waitFor.stream()
                            .map(reef -> CompletableFuture.runAsync(() -> probe(reef), probes))
                            .toArray(CompletableFuture[]::new))
                    .join();
        }
        return all();
    }

    private void probeInBackground(Reef reef) {
        if (!reef.probing().compareAndSet(false, true)) {
            return; // one probe of an unreachable reef at a time
        }
        try {
            probes.execute(() -> {
                try {
                    probe(reef);
                } finally {
                    reef.probing().set(false);
                }
            });
        } catch (RuntimeException e) {
            reef.probing().set(false); // shutting down
        }
    }

    private void probe(Reef reef) {
        Reef.Probe probe;
        try {
            reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(settings.kubernetes().instanceNamespace())
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            probe = new Reef.Probe(true, clock.instant(), null);
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            probe = new Reef.Probe(false, clock.instant(), error);
        }
        Reef.Reachability before = reef.reachability();
        boolean back = reef.recordProbe(probe);
        if (back) {
            LOG.infof(
                    "Reef %s answers again after being unreachable since %s; its upgrades go on",
                    reef.name(), before.unreachableSince());
            reef.retryUpgradeCallsAt(probe.at());
        } else if (!probe.reachable() && before.unreachableSince() == null) {
            LOG.warnf(
                    "Reef %s is unreachable (%s); the other reefs go on, and it is caught up when it answers again",
                    reef.name(), probe.error());
        }
    }

    void closeClients(@Observes ShutdownEvent event) {
        probes.shutdownNow();
        if (!settings.reefs().isEmpty()) {
            byName.values().forEach(reef -> reef.client().close());
        }
    }

    private KubernetesClient client(ReefSettings.Reef reef, Optional<String> kubeconfig) {
        Config config;
        if (reef.context().isPresent() && kubeconfig.isPresent()) {
            config = Config.fromKubeconfig(
                    reef.context().get(),
                    kubeconfig.get(),
                    settings.kubeconfig().orElse(null));
        } else {
            config = reef.context().map(Config::autoConfigure).orElseGet(() -> Config.autoConfigure(null));
        }
        config.setConnectionTimeout((int) settings.kubernetes().connectTimeout().toMillis());
        config.setRequestTimeout((int) settings.kubernetes().requestTimeout().toMillis());
        config.setRequestRetryBackoffLimit(1);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static Optional<String> readKubeconfig(Optional<String> path) {
        return path.map(p -> {
            try {
                return Files.readString(Path.of(p));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read kubeconfig " + p, e);
            }
        });
    }
}
