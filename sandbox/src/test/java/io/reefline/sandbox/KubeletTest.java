package io.reefline.sandbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubeletTest {

    private static final Duration DELAY = Duration.ofMillis(200);
    private static final String OLD_IMAGE = SandboxSpec.DEFAULT_IMAGE;
    private static final String NEW_IMAGE = "registry.reefline.local/product:2026.11.1";
    private static final String BROKEN_IMAGE = "registry.reefline.local/product:2026.11.2-broken";

    private final HttpClient http = HttpClient.newHttpClient();
    private Sandbox sandbox;
    private SandboxReef reef;

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxSpec.defaults()
                .withReefs(1)
                .withInstancesPerReef(5)
                .withKubeletDelay(DELAY)
                .withMalformedInstance(false));
        reef = sandbox.reefs().get(0);
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void aPatchedImageRollsOutAndBecomesAvailable() throws Exception {
        List<DeploymentStatus> reported = new CopyOnWriteArrayList<>();
        try (Watch watch = deployment("i-us1-002").watch(recordStatuses(reported))) {
            Deployment patched = deployment("i-us1-002").edit(d -> withImage(d, NEW_IMAGE));
            assertEquals(2L, patched.getMetadata().getGeneration(), "the mock raises the generation");

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> isAvailableOn(deployment("i-us1-002").get(), NEW_IMAGE));

            DeploymentStatus rolling = reported.stream()
                    .filter(s -> s.getUpdatedReplicas() == 0)
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no rolling status among " + reported));
            assertEquals(1L, rolling.getObservedGeneration(), "the rolling status is still about the old pods");
            assertEquals(1, rolling.getAvailableReplicas());
            assertEquals("ReplicaSetUpdated", condition(rolling, "Progressing").getReason());
        }
        DeploymentStatus status = deployment("i-us1-002").get().getStatus();
        assertEquals(2L, status.getObservedGeneration());
        assertEquals(1, status.getUpdatedReplicas());
        assertEquals(1, status.getReadyReplicas());
        assertEquals(0, status.getUnavailableReplicas());
        assertEquals("NewReplicaSetAvailable", condition(status, "Progressing").getReason());
        assertEquals(200, health("i-us1-002").statusCode());
        assertEquals(
                "{\"status\":\"UP\",\"image\":\"" + NEW_IMAGE + "\"}",
                health("i-us1-002").body());
    }

    @Test
    void aJsonPatchRollsOutToo() {
        deployment("i-us1-003")
                .patch(
                        PatchContext.of(PatchType.JSON),
                        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\""
                                + NEW_IMAGE + "\"}]");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> isAvailableOn(deployment("i-us1-003").get(), NEW_IMAGE));
    }

    @Test
    void aBrokenImageNeverBecomesAvailableUntilTheOldOneIsRestored() throws Exception {
        assertEquals(200, health("i-us1-004").statusCode());
        Deployment patched = deployment("i-us1-004").edit(d -> withImage(d, BROKEN_IMAGE));
        long generation = patched.getMetadata().getGeneration();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> deployment("i-us1-004").get().getStatus().getObservedGeneration() == generation);
        DeploymentStatus failing = deployment("i-us1-004").get().getStatus();
        assertEquals(1, failing.getUpdatedReplicas());
        assertEquals(0, failing.getAvailableReplicas());
        assertEquals(1, failing.getUnavailableReplicas());
        assertEquals("False", condition(failing, "Available").getStatus());
        assertEquals(
                "MinimumReplicasUnavailable", condition(failing, "Available").getReason());
        assertEquals(503, health("i-us1-004").statusCode());
        assertEquals("{\"status\":\"DOWN\"}", health("i-us1-004").body());

        await().during(DELAY.multipliedBy(3))
                .atMost(DELAY.multipliedBy(5))
                .until(() -> !isAvailableOn(deployment("i-us1-004").get(), BROKEN_IMAGE));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            DeploymentCondition progressing =
                    condition(deployment("i-us1-004").get().getStatus(), "Progressing");
            assertEquals("False", progressing.getStatus());
            assertEquals("ProgressDeadlineExceeded", progressing.getReason());
        });
        assertEquals(503, health("i-us1-004").statusCode());

        deployment("i-us1-004").edit(d -> withImage(d, OLD_IMAGE));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> isAvailableOn(deployment("i-us1-004").get(), OLD_IMAGE));
        assertEquals(
                "NewReplicaSetAvailable",
                condition(deployment("i-us1-004").get().getStatus(), "Progressing")
                        .getReason());
        assertEquals(
                "{\"status\":\"UP\",\"image\":\"" + OLD_IMAGE + "\"}",
                health("i-us1-004").body());
    }

    @Test
    void aNewDeploymentWithoutStatusIsRolledOut() throws Exception {
        assertEquals(404, health("i-us1-900").statusCode());
        Deployment template = deployment("i-us1-005").get();
        reef.client()
                .apps()
                .deployments()
                .inNamespace("instances")
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("i-us1-900")
                        .withLabels(template.getMetadata().getLabels())
                        .endMetadata()
                        .withSpec(template.getSpec())
                        .build())
                .create();

        await().atMost(Duration.ofSeconds(5))
                .until(() -> isAvailableOn(deployment("i-us1-900").get(), OLD_IMAGE));
        await().atMost(Duration.ofSeconds(2)).until(() -> health("i-us1-900").statusCode() == 200);

        deployment("i-us1-900").delete();
        await().atMost(Duration.ofSeconds(2)).until(() -> health("i-us1-900").statusCode() == 404);
    }

    @Test
    void healthAnswersOnlyForKnownInstances() throws Exception {
        assertEquals(200, health("i-us1-001").statusCode());
        assertEquals(
                "application/json",
                health("i-us1-001").headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, health("i-us1-999").statusCode());
        assertEquals(404, get(sandbox.healthUrl("reef-eu-7", "i-us1-001")).statusCode());
        String base = sandbox.healthUrl("reef-us-1", "i-us1-001").replaceAll("/instances/.*", "");
        assertEquals(404, get(base + "/instances/reef-us-1").statusCode());
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(URI.create(sandbox.healthUrl("reef-us-1", "i-us1-001")))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
    }

    @Test
    void brokenMeansTheTagSaysSo() {
        assertTrue(Kubelet.isBroken("registry.reefline.local/product:2026.11.2-broken"));
        assertTrue(Kubelet.isBroken("product:broken@sha256:0a1b"));
        assertFalse(Kubelet.isBroken("registry.reefline.local/product:2026.11.2"));
        assertFalse(Kubelet.isBroken("registry.broken.local:5000/product"));
        assertFalse(Kubelet.isBroken("product@sha256:0a1b"));
    }

    private RollableScalableResource<Deployment> deployment(String id) {
        return reef.client().apps().deployments().inNamespace("instances").withName(id);
    }

    private HttpResponse<String> health(String id) throws Exception {
        return get(sandbox.healthUrl(reef.name(), id));
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Deployment withImage(Deployment deployment, String image) {
        return new DeploymentBuilder(deployment)
                .editSpec()
                .editTemplate()
                .editSpec()
                .editFirstContainer()
                .withImage(image)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** What a client checks after an upgrade: the status covers the new spec and every replica is available. */
    private static boolean isAvailableOn(Deployment deployment, String image) {
        DeploymentStatus status = deployment.getStatus();
        return image.equals(deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage())
                && deployment.getMetadata().getGeneration().equals(status.getObservedGeneration())
                && Integer.valueOf(1).equals(status.getAvailableReplicas())
                && Integer.valueOf(1).equals(status.getUpdatedReplicas())
                && "True".equals(condition(status, "Available").getStatus());
    }

    private static DeploymentCondition condition(DeploymentStatus status, String type) {
        Optional<DeploymentCondition> condition = status.getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
        return condition.orElseThrow(() -> new AssertionError("no " + type + " condition in " + status));
    }

    private static Watcher<Deployment> recordStatuses(List<DeploymentStatus> reported) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, Deployment deployment) {
                reported.add(deployment.getStatus());
            }

            @Override
            public void onClose(WatcherException cause) {}
        };
    }
}
