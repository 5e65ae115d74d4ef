package io.reefline.rollout.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.fleet.ImageReference;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.domain.window.WindowParseException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads customer instances from a reef: Deployments labelled {@code reefline.io/instance} in the instance namespace.
 * Every annotation problem becomes an error on the instance instead of an exception, so one bad Deployment never hides
 * the others.
 */
@ApplicationScoped
public class InstanceDiscovery {

    public static final String INSTANCE_LABEL = "reefline.io/instance";
    static final String TENANT = "reefline.io/tenant";
    static final String WINDOW = "reefline.io/maintenance-window";
    static final String ACTIVE = "reefline.io/active";
    static final String RING = "reefline.io/ring";
    static final String CHANNEL = "reefline.io/channel";

    private final ReefSettings settings;

    InstanceDiscovery(ReefSettings settings) {
        this.settings = settings;
    }

    /** Every instance Deployment of the reef; throws when the reef's API cannot be read. */
    public List<DiscoveredInstance> discover(String reef, String region, KubernetesClient client) {
        return client.apps().deployments().inNamespace(namespace()).withLabel(INSTANCE_LABEL).list().getItems().stream()
                .map(deployment -> read(reef, region, deployment))
                .toList();
    }

    public String namespace() {
        return settings.kubernetes().instanceNamespace();
    }

    /** The instance a Deployment describes, with every problem found in its labels, annotations and image. */
    public DiscoveredInstance read(String reef, String region, Deployment deployment) {
        Map<String, String> labels =
                Optional.ofNullable(deployment.getMetadata().getLabels()).orElse(Map.of());
        Map<String, String> annotations =
                Optional.ofNullable(deployment.getMetadata().getAnnotations()).orElse(Map.of());
        List<String> errors = new ArrayList<>();
        String id = labels.get(INSTANCE_LABEL);
        if (id == null || id.isBlank()) {
            id = deployment.getMetadata().getName();
            errors.add("label " + INSTANCE_LABEL + " is empty; the Deployment name is used as the id");
        }

        String tenant = annotations.get(TENANT);
        if (tenant == null || tenant.isBlank()) {
            errors.add("annotation " + TENANT + " is missing");
            tenant = null;
        }

        String window = annotations.get(WINDOW);
        if (window == null || window.isBlank()) {
            errors.add("annotation " + WINDOW + " is missing");
            window = null;
        } else {
            try {
                window = MaintenanceWindow.parse(window).toString();
            } catch (WindowParseException e) {
                errors.add("annotation " + WINDOW + " '" + window + "' is not a maintenance window: "
                        + String.join("; ", e.problems()));
            }
        }

        boolean active = false;
        String activeText = annotations.get(ACTIVE);
        if ("true".equalsIgnoreCase(activeText)) {
            active = true;
        } else if (!"false".equalsIgnoreCase(activeText)) {
            errors.add("annotation " + ACTIVE + " must be true or false, not "
                    + (activeText == null ? "missing" : "'" + activeText + "'"));
        }

        PinnedRing pin = PinnedRing.NONE;
        String ringText = annotations.get(RING);
        if (ringText != null && !ringText.isBlank()) {
            pin = switch (ringText.strip().toLowerCase(Locale.ROOT)) {
                case "staff" -> PinnedRing.STAFF;
                case "laggard" -> PinnedRing.LAGGARD;
                default -> null;
            };
            if (pin == null) {
                errors.add("annotation " + RING + " must be staff or laggard, not '" + ringText + "'");
            }
        }

        String channel = Channel.DEFAULT;
        String channelText = annotations.get(CHANNEL);
        if (channelText != null && !channelText.isBlank()) {
            channel = channelText.strip();
            Optional<String> problem = Channel.problem(channel);
            if (problem.isPresent()) {
                errors.add("annotation " + CHANNEL + " '" + channel + "' is not a channel: " + problem.get());
                channel = channel.substring(0, Math.min(channel.length(), Channel.MAX_LENGTH));
            }
        }

        String image = image(deployment);
        String version = null;
        if (image == null) {
            errors.add("no container named '" + settings.kubernetes().instanceContainer() + "'");
        } else {
            String tag = tag(image);
            try {
                version = Version.parse(tag).toString();
            } catch (IllegalArgumentException e) {
                errors.add("image tag of '" + image + "' is not a version");
            }
        }
        return new DiscoveredInstance(id, reef, region, tenant, window, active, pin, channel, image, version, errors);
    }

    private String image(Deployment deployment) {
        if (deployment.getSpec() == null
                || deployment.getSpec().getTemplate() == null
                || deployment.getSpec().getTemplate().getSpec() == null) {
            return null;
        }
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> settings.kubernetes().instanceContainer().equals(c.getName()))
                .map(Container::getImage)
                .findFirst()
                .orElse(null);
    }

    /** The tag of {@code registry:5000/product:2026.11.0}; a digest suffix is ignored. */
    public static String tag(String image) {
        String tag = ImageReference.parse(image).tag();
        return tag == null ? "" : tag;
    }
}
