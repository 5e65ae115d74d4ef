package io.reefline.rollout.kubernetes;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.reefline.rollout.service.InventoryService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Keeps the inventory current between scheduled refreshes: one informer per reef on the instance Deployments. A reef
 * whose watch cannot start is logged and left to the scheduled refresh; the other reefs are watched regardless.
 */
@ApplicationScoped
public class InventoryWatch {

    private static final Logger LOG = Logger.getLogger(InventoryWatch.class);

    private final Reefs reefs;
    private final InstanceDiscovery discovery;
    private final InventoryService inventory;
    private final ReefSettings settings;
    private final List<SharedIndexInformer<Deployment>> informers = new ArrayList<>();

    InventoryWatch(Reefs reefs, InstanceDiscovery discovery, InventoryService inventory, ReefSettings settings) {
        this.reefs = reefs;
        this.discovery = discovery;
        this.inventory = inventory;
        this.settings = settings;
    }

    void start(@Observes StartupEvent event) {
        if (!settings.inventory().watch()) {
            return;
        }
        for (Reef reef : reefs.all()) {
            try {
                informers.add(watch(reef.name(), reef.region(), reef.client()));
            } catch (RuntimeException e) {
                LOG.warnf("Watch of reef %s not started: %s", reef.name(), e.getMessage());
            }
        }
    }

    /**
     * Starts an informer that stores every added or changed instance Deployment of the reef and forgets deleted ones;
     * the caller stops it. Its first list stores what is there already.
     */
    public SharedIndexInformer<Deployment> watch(String reef, String region, KubernetesClient client) {
        SharedIndexInformer<Deployment> informer = client.apps()
                .deployments()
                .inNamespace(discovery.namespace())
                .withLabel(InstanceDiscovery.INSTANCE_LABEL)
                .runnableInformer(0);
        informer.addEventHandler(new Handler(reef, region));
        // Keep retrying with the informer's backoff: a reef that is down now may come back.
        informer.exceptionHandler((started, error) -> true);
        informer.start();
        return informer;
    }

    void stop(@Observes ShutdownEvent event) {
        informers.forEach(SharedIndexInformer::stop);
    }

    private final class Handler implements ResourceEventHandler<Deployment> {
        private final String reef;
        private final String region;

        Handler(String reef, String region) {
            this.reef = reef;
            this.region = region;
        }

        @Override
        public void onAdd(Deployment deployment) {
            store(deployment);
        }

        @Override
        public void onUpdate(Deployment before, Deployment after) {
            store(after);
        }

        @Override
        public void onDelete(Deployment deployment, boolean finalStateUnknown) {
            String id = deployment.getMetadata().getLabels().get(InstanceDiscovery.INSTANCE_LABEL);
            guarded(() -> inventory.removed(
                    reef, id == null ? deployment.getMetadata().getName() : id));
        }

        private void store(Deployment deployment) {
            guarded(() -> inventory.changed(discovery.read(reef, region, deployment)));
        }

        /** An event that cannot be stored must not kill the informer; the next refresh catches up. */
        private void guarded(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warnf(e, "Inventory event of reef %s not stored", reef);
            }
        }
    }
}
