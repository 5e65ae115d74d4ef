package io.reefline.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Plans the customer instances of a sandbox from its seed and turns them into Deployments.
 *
 * <p>Everything random is drawn from one {@link Random} in a fixed order, so the same {@link SandboxSpec} always
 * gives the same fleet: demos and tests can name instances (the staff instance is always {@code i-us1-001}).
 */
final class InstanceSeeder {

    /** A window no parser can accept: wrong day, hours out of range. */
    static final String MALFORMED_WINDOW = "Someday 25:00-99:00";

    /** Roughly one customer in ten has stopped using the product; inactive instances are never canaries. */
    private static final double INACTIVE_SHARE = 0.10;

    private static final double LAGGARD_SHARE = 0.02;

    /** Customers pick windows in their own time zone about as often as plain UTC ones. */
    private static final Map<String, List<String>> ZONES_BY_REGION = Map.of(
            "us", List.of("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
            "eu", List.of("Europe/London", "Europe/Dublin", "Europe/Berlin", "Europe/Paris"),
            "au", List.of("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane", "Australia/Perth"));

    private static final List<String> TENANT_NAMES = List.of(
            "acme",
            "atlas",
            "blue-harbor",
            "cobalt",
            "coral",
            "granite",
            "kestrel",
            "lumen",
            "maple",
            "north-star",
            "orchid",
            "pioneer",
            "summit",
            "tidal",
            "vertex",
            "willow");

    private static final List<String> TENANT_TRADES = List.of(
            "logistics",
            "health",
            "foods",
            "energy",
            "labs",
            "retail",
            "bank",
            "media",
            "freight",
            "clinics",
            "systems",
            "travel",
            "insurance",
            "mining",
            "studios",
            "farms");

    private final Random random;
    private final Set<String> tenants = new HashSet<>();
    private final List<Integer> startHours = new ArrayList<>();
    private final int tenantNumbers;

    private InstanceSeeder(long seed, int instanceCount) {
        this.random = new Random(seed);
        // Enough numbers per name that unique tenant slugs never run out, however large the sandbox.
        this.tenantNumbers = Math.max(99, instanceCount);
    }

    /** The instances of every reef of {@code spec}, reef by reef, in id order. */
    static List<SeededInstance> plan(SandboxSpec spec) {
        List<ReefIdentity> reefs = ReefIdentity.forCount(spec.reefs());
        return new InstanceSeeder(spec.seed(), spec.reefs() * spec.instancesPerReef())
                .plan(reefs, spec.instancesPerReef(), spec.includeMalformedInstance());
    }

    private List<SeededInstance> plan(List<ReefIdentity> reefs, int instancesPerReef, boolean includeMalformed) {
        List<ReefIdentity> reefOf = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<String> windows = new ArrayList<>();
        List<String> tenantOf = new ArrayList<>();
        for (ReefIdentity reef : reefs) {
            for (int number = 1; number <= instancesPerReef; number++) {
                boolean staff = ids.isEmpty();
                reefOf.add(reef);
                ids.add(reef.instanceId(number));
                tenantOf.add(staff ? InstanceMetadata.STAFF_TENANT : nextTenant());
                windows.add(nextWindow(reef.region()));
            }
        }

        // The vendor's own instance comes first; every other one belongs to a customer.
        List<Integer> customers = IntStream.range(1, ids.size()).boxed().toList();
        Set<Integer> inactive = sample(customers, (int) Math.round(customers.size() * INACTIVE_SHARE));
        int laggardCount = customers.isEmpty() ? 0 : Math.max(1, (int) Math.round(customers.size() * LAGGARD_SHARE));
        Set<Integer> laggards = sample(customers, laggardCount);
        Set<Integer> malformed = includeMalformed ? sample(customers, 1) : Set.of();

        List<SeededInstance> instances = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String ring =
                    i == 0 ? InstanceMetadata.STAFF_RING : laggards.contains(i) ? InstanceMetadata.LAGGARD_RING : null;
            String window = malformed.contains(i) ? MALFORMED_WINDOW : windows.get(i);
            instances.add(new SeededInstance(
                    reefOf.get(i), ids.get(i), tenantOf.get(i), window, !inactive.contains(i), ring));
        }
        return instances;
    }

    private String nextTenant() {
        while (true) {
            String tenant = TENANT_NAMES.get(random.nextInt(TENANT_NAMES.size())) + "-"
                    + TENANT_TRADES.get(random.nextInt(TENANT_TRADES.size())) + "-"
                    + (1 + random.nextInt(tenantNumbers));
            if (tenants.add(tenant)) {
                return tenant;
            }
        }
    }

    /**
     * A window in one of the documented shapes, 1 to 4 hours long. Start hours are dealt from shuffled decks of all
     * 24 hours, so that every hour of the day opens some window once there are 24 instances or more: forecasts and
     * the scheduler then have work around the clock.
     */
    private String nextWindow(String region) {
        if (startHours.isEmpty()) {
            IntStream.range(0, 24).forEach(startHours::add);
            Collections.shuffle(startHours, random);
        }
        int startHour = startHours.remove(startHours.size() - 1);
        int startMinute = random.nextInt(4) == 0 ? 30 : 0;
        int lengthHours = 1 + random.nextInt(4);
        int endHour = (startHour + lengthHours) % 24;

        int dayPick = random.nextInt(20);
        String days = dayPick < 9 ? "Daily" : dayPick < 16 ? "Mon-Fri" : "Sat-Sun";
        List<String> zones = ZONES_BY_REGION.get(region);
        String zone = random.nextInt(10) < 4 ? "" : " " + zones.get(random.nextInt(zones.size()));
        return String.format("%s %02d:%02d-%02d:%02d%s", days, startHour, startMinute, endHour, startMinute, zone);
    }

    private Set<Integer> sample(List<Integer> from, int count) {
        List<Integer> shuffled = new ArrayList<>(from);
        Collections.shuffle(shuffled, random);
        return Set.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
    }

    /**
     * The Deployment of one instance, already rolled out: its status says the current image is available, as if the
     * kubelet had finished long ago.
     */
    static Deployment deployment(SeededInstance instance, SandboxSpec spec, String healthUrl, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(InstanceMetadata.INSTANCE_LABEL, instance.id());
        labels.put(InstanceMetadata.APP_NAME_LABEL, InstanceMetadata.APP_NAME);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(InstanceMetadata.TENANT, instance.tenant());
        annotations.put(InstanceMetadata.MAINTENANCE_WINDOW, instance.maintenanceWindow());
        annotations.put(InstanceMetadata.ACTIVE, Boolean.toString(instance.active()));
        if (instance.ring() != null) {
            annotations.put(InstanceMetadata.RING, instance.ring());
        }
        annotations.put(InstanceMetadata.HEALTH_URL, healthUrl);
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(instance.id())
                .withNamespace(spec.namespace())
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector()
                .addToMatchLabels(InstanceMetadata.INSTANCE_LABEL, instance.id())
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(spec.containerName())
                .withImage(spec.currentImage())
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .withStatus(DeploymentStatuses.available(1L, 1, List.of(), now))
                .build();
    }
}
