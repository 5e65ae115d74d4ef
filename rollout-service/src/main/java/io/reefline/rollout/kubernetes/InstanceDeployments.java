package io.reefline.rollout.kubernetes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.reefline.rollout.domain.upgrade.RolloutObservation;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and changes instance Deployments for the upgrade scheduler. Images are changed with a JSON patch that first
 * tests the container's name and current image, so a Deployment changed by someone else in between is never
 * overwritten: the API server rejects the patch instead.
 */
@ApplicationScoped
public class InstanceDeployments {

    public static final String HEALTH_URL = "reefline.io/health-url";

    private final ReefSettings settings;
    private final ObjectMapper json;

    InstanceDeployments(ReefSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    /** The Deployment of instance {@code instanceId} in {@code reef}; empty when it is gone. Throws when unreachable. */
    public Optional<Deployment> find(Reef reef, String instanceId) {
        return reef
                .client()
                .apps()
                .deployments()
                .inNamespace(namespace())
                .withLabel(InstanceDiscovery.INSTANCE_LABEL, instanceId)
                .list()
                .getItems()
                .stream()
                .findFirst();
    }

    /** The image of the configured container, or null when the Deployment has no such container. */
    public String image(Deployment deployment) {
        int index = containerIndex(deployment);
        return index < 0
                ? null
                : deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(index)
                        .getImage();
    }

    /** The health URL annotation, when the instance names one. */
    public Optional<String> healthUrl(Deployment deployment) {
        Map<String, String> annotations = deployment.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(HEALTH_URL))
                .filter(url -> !url.isBlank());
    }

    /**
     * Sets the configured container's image from {@code expected} to {@code image}. Fails (a 422 from the API server)
     * when the image is no longer {@code expected}.
     */
    public void changeImage(Reef reef, Deployment deployment, String expected, String image) {
        int index = containerIndex(deployment);
        if (index < 0) {
            throw new IllegalStateException(
                    "Deployment " + deployment.getMetadata().getName() + " has no container '"
                            + settings.kubernetes().instanceContainer() + "'");
        }
        String container = "/spec/template/spec/containers/" + index;
        ArrayNode patch = json.createArrayNode();
        patch.addObject()
                .put("op", "test")
                .put("path", container + "/name")
                .put("value", settings.kubernetes().instanceContainer());
        patch.addObject().put("op", "test").put("path", container + "/image").put("value", expected);
        patch.addObject().put("op", "replace").put("path", container + "/image").put("value", image);
        reef.client()
                .apps()
                .deployments()
                .inNamespace(namespace())
                .withName(deployment.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON), patch.toString());
    }

    /** What the Deployment's spec and status say about its rollout. */
    public RolloutObservation observe(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        long generation = number(deployment.getMetadata().getGeneration());
        int replicas = deployment.getSpec().getReplicas() == null
                ? 1
                : deployment.getSpec().getReplicas();
        if (status == null) {
            return new RolloutObservation(image(deployment), generation, 0, replicas, 0, 0, false, null);
        }
        List<DeploymentCondition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
        boolean available =
                conditions.stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
        String failure = conditions.stream()
                .filter(c -> ("Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
                        || ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())))
                .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason()
                        + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst()
                .orElse(null);
        return new RolloutObservation(
                image(deployment),
                generation,
                number(status.getObservedGeneration()),
                replicas,
                count(status.getUpdatedReplicas()),
                count(status.getAvailableReplicas()),
                available,
                failure);
    }

    private int containerIndex(Deployment deployment) {
        if (deployment.getSpec() == null
                || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getSpec() == null) {
            return -1;
        }
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        for (int i = 0; i < containers.size(); i++) {
            if (settings.kubernetes()
                    .instanceContainer()
                    .equals(containers.get(i).getName())) {
                return i;
            }
        }
        return -1;
    }

    public String namespace() {
        return settings.kubernetes().instanceNamespace();
    }

    private static long number(Long value) {
        return value == null ? 0 : value;
    }

    private static int count(Integer value) {
        return value == null ? 0 : value;
    }
}
