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
     * older is asked again (for one item of the instance namespace's Deployments). Readiness checks, the API and the
     * page all read through here, so frequent callers do not each send a request to every reef.
     */
    public List<Reef> probed() {
        Instant now = clock.instant();
        for (Reef reef : byName.values()) {
            Instant checked = reef.lastProbe().at();
            if (checked == null
                    || !checked.plus(settings.kubernetes().probeMaxAge()).isAfter(now)) {
                probe(reef);
            }
        }
        return all();
    }

    private void probe(Reef reef) {
        try {
            reef.client()
                    .apps()
                    .deployments()
                    .inNamespace(settings.kubernetes().instanceNamespace())
                    .list(new ListOptionsBuilder().withLimit(1L).build());
            reef.recordProbe(new Reef.Probe(true, clock.instant(), null));
        } catch (RuntimeException e) {
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            reef.recordProbe(new Reef.Probe(false, clock.instant(), error));
            LOG.debugf("Reef %s unreachable: %s", reef.name(), error);
        }
    }

    void closeClients(@Observes ShutdownEvent event) {
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
