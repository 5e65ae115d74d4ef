package io.reefline.rollout.upgrade;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.reefline.rollout.kubernetes.InstanceDeployments;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.upgrade.reconcile.Cluster;
import io.reefline.rollout.upgrade.reconcile.ClusterException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Every reef's instance Deployments through fabric8; a client failure becomes a {@link ClusterException}. */
@ApplicationScoped
public class KubernetesCluster implements Cluster {

    private final Reefs reefs;
    private final InstanceDeployments deployments;

    KubernetesCluster(Reefs reefs, InstanceDeployments deployments) {
        this.reefs = reefs;
        this.deployments = deployments;
    }

    @Override
    public Optional<LiveDeployment> find(String reef, String instanceId) {
        Reef cluster = reef(reef);
        try {
            return deployments.find(cluster, instanceId).map(this::live);
        } catch (KubernetesClientException e) {
            throw translate(e);
        }
    }

    @Override
    public void changeImage(String reef, LiveDeployment deployment, String expected, String image) {
        Reef cluster = reef(reef);
        try {
            Deployment current = cluster.client()
                    .apps()
                    .deployments()
                    .inNamespace(deployments.namespace())
                    .withName(deployment.name())
                    .get();
            if (current == null) {
                throw new ClusterException(404, "Deployment " + deployment.name() + " is gone");
            }
            deployments.changeImage(cluster, current, expected, image);
        } catch (KubernetesClientException e) {
            throw translate(e);
        }
    }

    private LiveDeployment live(Deployment deployment) {
        return new LiveDeployment(
                deployment.getMetadata().getName(),
                deployments.image(deployment),
                deployments.observe(deployment),
                deployments.healthUrl(deployment));
    }

    private Reef reef(String name) {
        return reefs.named(name).orElseThrow(() -> new ClusterException(0, "reef " + name + " is not configured"));
    }

    /** The status of the answer when there was one; 0 for no answer (connection refused, timeout). */
    static ClusterException translate(KubernetesClientException e) {
        int status = e.getCode() > 0
                ? e.getCode()
                : e.getStatus() == null || e.getStatus().getCode() == null
                        ? 0
                        : e.getStatus().getCode();
        return new ClusterException(status, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
}
