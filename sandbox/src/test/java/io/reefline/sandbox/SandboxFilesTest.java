package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SandboxFilesTest {

    private Sandbox sandbox;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(
                SandboxSpec.defaults().withReefs(2).withInstancesPerReef(3).withKubeletDelay(Duration.ofMillis(200)));
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void aClientFromTheKubeconfigSeesEachReefsInstances(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("sandbox/kubeconfig");
        sandbox.writeKubeconfig(kubeconfig);
        assertTrue(Files.readString(kubeconfig).contains("insecure-skip-tls-verify: true"));

        for (SandboxReef reef : sandbox.reefs()) {
            Config config = Config.fromKubeconfig(reef.name(), kubeconfig.toFile());
            assertEquals(reef.url() + "/", config.getMasterUrl());
            assertEquals("instances", config.getNamespace());
            assertTrue(config.isTrustCerts());
            try (KubernetesClient client =
                    new KubernetesClientBuilder().withConfig(config).build()) {
                List<String> ids = client.apps().deployments().list().getItems().stream()
                        .map(Deployment::getMetadata)
                        .map(m -> m.getName())
                        .sorted()
                        .toList();
                String prefix = "i-" + reef.region() + "1-";
                assertEquals(List.of(prefix + "001", prefix + "002", prefix + "003"), ids);
            }
        }
        assertEquals(
                "reef-us-1",
                Config.fromKubeconfig(kubeconfig.toFile()).getCurrentContext().getName());
    }

    @Test
    void theStateFileNamesEveryReefAndTheKubeconfig(@TempDir Path dir) throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Path stateFile = dir.resolve("state/reefs.properties");
        sandbox.writeStateFile(stateFile, kubeconfig);

        Properties state = new Properties();
        try (Reader reader = Files.newBufferedReader(stateFile)) {
            state.load(reader);
        }
        assertEquals(kubeconfig.toAbsolutePath().toString(), state.getProperty("reefline.kubeconfig"));
        assertEquals("reef-us-1", state.getProperty("reefline.reefs.reef-us-1.context"));
        assertEquals("us", state.getProperty("reefline.reefs.reef-us-1.region"));
        assertEquals("reef-eu-1", state.getProperty("reefline.reefs.reef-eu-1.context"));
        assertEquals("eu", state.getProperty("reefline.reefs.reef-eu-1.region"));
        assertEquals("127.0.0.1/32", state.getProperty("reefline.outgoing.allowed-ranges"), "health URLs are local");
        assertEquals(6, state.size());
        try (var files = Files.list(stateFile.getParent())) {
            assertEquals(List.of(stateFile), files.toList(), "no temporary files are left behind");
        }
    }
}
