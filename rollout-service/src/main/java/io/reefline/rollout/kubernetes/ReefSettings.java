package io.reefline.rollout.kubernetes;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The reefs this rollout-service drives: one Kubernetes API each. */
@ConfigMapping(prefix = "reefline")
public interface ReefSettings {

    /**
     * Reefs by name, e.g. {@code reefline.reefs.reef-eu-1.context=reef-eu-1} and
     * {@code reefline.reefs.reef-eu-1.region=eu}. Empty: one reef named {@code reefline.reef.name} (default
     * {@code local}) reached through the default Kubernetes client (in-cluster or the current kubeconfig context).
     */
    Map<String, Reef> reefs();

    /** The kubeconfig file holding the reefs' contexts; without it, the default kubeconfig location is used. */
    Optional<String> kubeconfig();

    Kubernetes kubernetes();

    Inventory inventory();

    interface Inventory {
        /** How often every reef is listed again, on top of the watches; {@code off} disables it. */
        @WithDefault("5m")
        String refreshInterval();

        /** Watch every reef's instance Deployments and refresh an instance as soon as it changes. */
        @WithDefault("true")
        boolean watch();
    }

    interface Reef {
        /** kubeconfig context of this reef; absent means in-cluster or the current context. */
        Optional<String> context();

        /** Region the reef serves (us, eu, au, ...). */
        String region();
    }

    interface Kubernetes {
        /** Namespace of the customer instance Deployments. */
        @WithDefault("instances")
        String instanceNamespace();

        /** Name of the instance Deployment's container whose image tag is the instance's version. */
        @WithDefault("app")
        String instanceContainer();

        /** Connect timeout towards a reef's API server. */
        @WithDefault("PT3S")
        Duration connectTimeout();

        /**
         * How often every reef is probed in the background, so health details, metrics, the API and the page show
         * whether it answers without anyone waiting for it; {@code off} disables it.
         */
        @WithDefault("10s")
        String probeInterval();

        /** How long a reef's last reachability answer is reused before the reef is asked again. */
        @WithDefault("PT5S")
        Duration probeMaxAge();

        /** Request timeout towards a reef's API server. */
        @WithDefault("PT5S")
        Duration requestTimeout();
    }
}
