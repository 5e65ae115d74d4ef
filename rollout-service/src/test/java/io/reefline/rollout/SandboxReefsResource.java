package io.reefline.rollout;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContextBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.reefline.sandbox.Sandbox;
import io.reefline.sandbox.SandboxReef;
import io.reefline.sandbox.SandboxSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The reefs of {@link ReefFaultsTest}: a sandbox of two reefs with a fast kubelet, and a third reef, {@value #DOWN},
 * whose API server never answers. rollout-service gets them as it would in production: a kubeconfig with one context
 * per reef.
 */
public class SandboxReefsResource implements QuarkusTestResourceLifecycleManager {

    static final String DOWN = "reef-down-1";
    static volatile Sandbox sandbox;

    @Override
    public Map<String, String> start() {
        // A Kubernetes test server started for other test classes leaves its address in system properties
        // (kubernetes.master, ...), which fabric8 lets override every kubeconfig context: drop them for this boot.
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("kubernetes.")) {
                System.clearProperty(name);
            }
        }
        try {
            sandbox = Sandbox.start(SandboxSpec.defaults()
                    .withReefs(2)
                    .withInstancesPerReef(6)
                    .withKubeletDelay(Duration.ofMillis(150)));
            Path folder = Files.createTempDirectory("reef-faults");
            Path kubeconfig = folder.resolve("kubeconfig");
            sandbox.writeKubeconfig(kubeconfig);
            Config config = Serialization.unmarshal(Files.readString(kubeconfig), Config.class);
            String user = config.getContexts().get(0).getContext().getUser();
            config.getClusters()
                    .add(new NamedClusterBuilder()
                            .withName(DOWN)
                            .withNewCluster()
                            .withServer("http://127.0.0.1:1")
                            .endCluster()
                            .build());
            config.getContexts()
                    .add(new NamedContextBuilder()
                            .withName(DOWN)
                            .withNewContext()
                            .withCluster(DOWN)
                            .withUser(user)
                            .withNamespace("instances")
                            .endContext()
                            .build());
            Files.writeString(kubeconfig, Serialization.asYaml(config));

            Map<String, String> properties = new HashMap<>();
            properties.put("reefline.kubeconfig", kubeconfig.toString());
            for (SandboxReef reef : sandbox.reefs()) {
                properties.put("reefline.reefs." + reef.name() + ".context", reef.name());
                properties.put("reefline.reefs." + reef.name() + ".region", reef.region());
            }
            properties.put("reefline.reefs." + DOWN + ".context", DOWN);
            properties.put("reefline.reefs." + DOWN + ".region", "eu");
            properties.put("reefline.kubernetes.connect-timeout", "PT0.5S");
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (sandbox != null) {
            sandbox.close();
            sandbox = null;
        }
    }
}
