package io.reefline.rollout;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.persistence.FreezeEntity;
import io.reefline.rollout.persistence.InstanceEntity;
import io.reefline.rollout.persistence.ReleaseEntity;
import io.reefline.rollout.persistence.RingPolicyEntity;
import io.reefline.rollout.persistence.UpgradeEntity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Shared set-up of the module's tests: instance Deployments in the mock reef, and an empty database. */
final class TestFleet {

    static final String NAMESPACE = "instances";

    private TestFleet() {}

    /** Removes every instance Deployment from the mock reef and empties the tables. */
    static void clear(KubernetesClient client) {
        client.apps().deployments().inNamespace(NAMESPACE).delete();
        QuarkusTransaction.requiringNew().run(() -> {
            UpgradeEntity.deleteAll();
            InstanceEntity.deleteAll();
            ReleaseEntity.deleteAll();
            FreezeEntity.deleteAll();
            RingPolicyEntity.deleteAll();
            OutboxMessage.deleteAll();
        });
    }

    /** An instance Deployment as the product's installer writes it; {@code ring} may be null. */
    static Deployment instance(String id, String window, boolean active, String ring, String version) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("reefline.io/tenant", "tenant-" + id);
        annotations.put("reefline.io/maintenance-window", window);
        annotations.put("reefline.io/active", String.valueOf(active));
        if (ring != null) {
            annotations.put("reefline.io/ring", ring);
        }
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(id)
                .withNamespace(NAMESPACE)
                .addToLabels("reefline.io/instance", id)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels("reefline.io/instance", id)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("reefline.io/instance", id)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.reefline.local/product:" + version)
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    static void create(KubernetesClient client, Deployment deployment) {
        client.apps().deployments().inNamespace(NAMESPACE).resource(deployment).create();
    }

    /** Stores {@code json} as the ring policy (as an admin). */
    static void policy(String json) {
        io.restassured.RestAssured.given()
                .auth()
                .oauth2(io.reefline.testing.TestTokens.admin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body(json)
                .when()
                .header("If-Match", "*")
                .put("/api/policy")
                .then()
                .statusCode(200);
    }

    /** The image of instance {@code id}'s app container. */
    static String image(KubernetesClient client, String id) {
        return deployment(client, id)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    }

    static Deployment deployment(KubernetesClient client, String id) {
        return client.apps().deployments().inNamespace(NAMESPACE).withName(id).get();
    }

    /**
     * Plays the Deployment controller for instance {@code id}: its current generation is rolled out and available (the
     * mock API server raises the generation on every spec change but runs no controller).
     */
    static void rollOut(KubernetesClient client, String id) {
        Deployment current = deployment(client, id);
        current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withObservedGeneration(current.getMetadata().getGeneration())
                .withReplicas(1)
                .withUpdatedReplicas(1)
                .withReadyReplicas(1)
                .withAvailableReplicas(1)
                .addNewCondition()
                .withType("Available")
                .withStatus("True")
                .withReason("MinimumReplicasAvailable")
                .endCondition()
                .addNewCondition()
                .withType("Progressing")
                .withStatus("True")
                .withReason("NewReplicaSetAvailable")
                .endCondition()
                .build());
        client.apps().deployments().inNamespace(NAMESPACE).resource(current).updateStatus();
    }

    /** Plays the Deployment controller giving up on instance {@code id}'s rollout: no pod ever became ready. */
    static void exceedProgressDeadline(KubernetesClient client, String id) {
        Deployment current = deployment(client, id);
        current.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withObservedGeneration(current.getMetadata().getGeneration())
                .withReplicas(1)
                .withUpdatedReplicas(1)
                .withAvailableReplicas(0)
                .withUnavailableReplicas(1)
                .addNewCondition()
                .withType("Available")
                .withStatus("False")
                .withReason("MinimumReplicasUnavailable")
                .endCondition()
                .addNewCondition()
                .withType("Progressing")
                .withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet has timed out progressing.")
                .endCondition()
                .build());
        client.apps().deployments().inNamespace(NAMESPACE).resource(current).updateStatus();
    }
}
