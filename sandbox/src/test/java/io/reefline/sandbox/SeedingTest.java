package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedingTest {

    /** The two documented shapes: {@code Mon-Fri 09:00-12:00} and {@code Daily 22:00-02:00 Europe/London}. */
    private static final Pattern WINDOW = Pattern.compile(
            "(Daily|Mon-Fri|Sat-Sun) ([01]\\d|2[0-3]):([0-5]\\d)-([01]\\d|2[0-3]):([0-5]\\d)( [A-Za-z]+/[A-Za-z_]+)?");

    private Sandbox sandbox;
    private final List<Deployment> instances = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        sandbox = Sandbox.start(SandboxSpec.defaults().withKubeletDelay(Duration.ofMillis(200)));
        for (SandboxReef reef : sandbox.reefs()) {
            instances.addAll(reef.client()
                    .apps()
                    .deployments()
                    .inNamespace("instances")
                    .list()
                    .getItems());
        }
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @Test
    void reefsCycleThroughTheRegions() {
        assertEquals(
                List.of("reef-us-1", "reef-eu-1", "reef-au-1"),
                sandbox.reefs().stream().map(SandboxReef::name).toList());
        assertEquals(
                List.of("us", "eu", "au"),
                sandbox.reefs().stream().map(SandboxReef::region).toList());
        for (SandboxReef reef : sandbox.reefs()) {
            assertTrue(reef.url().matches("http://127\\.0\\.0\\.1:\\d+"), reef.url());
        }
        assertEquals(
                List.of("reef-us-1", "reef-eu-1", "reef-au-1", "reef-us-2", "reef-eu-2", "reef-au-2", "reef-us-3"),
                ReefIdentity.forCount(7).stream().map(ReefIdentity::name).toList());
    }

    @Test
    void everyReefHoldsItsInstances() {
        assertEquals(120, instances.size());
        for (SandboxReef reef : sandbox.reefs()) {
            List<Deployment> ofReef = reef.client()
                    .apps()
                    .deployments()
                    .inNamespace("instances")
                    .list()
                    .getItems();
            assertEquals(40, ofReef.size(), reef.name());
            String prefix =
                    "i-" + reef.region() + reef.name().substring(reef.name().lastIndexOf('-') + 1) + "-";
            assertTrue(ofReef.stream().allMatch(d -> d.getMetadata().getName().startsWith(prefix)), prefix);
        }
        assertTrue(instances.stream().anyMatch(d -> d.getMetadata().getName().equals("i-eu1-007")));
    }

    @Test
    void instancesAreDeploymentsOfTheProduct() {
        for (Deployment deployment : instances) {
            String id = deployment.getMetadata().getName();
            assertTrue(id.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), id);
            assertEquals(
                    Map.of(InstanceMetadata.INSTANCE_LABEL, id, InstanceMetadata.APP_NAME_LABEL, "product"),
                    deployment.getMetadata().getLabels());
            assertEquals(1, deployment.getSpec().getReplicas());
            assertEquals(
                    "app",
                    deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getName());
            assertEquals(
                    SandboxSpec.DEFAULT_IMAGE,
                    deployment
                            .getSpec()
                            .getTemplate()
                            .getSpec()
                            .getContainers()
                            .get(0)
                            .getImage());
            assertNotNull(deployment.getMetadata().getAnnotations().get(InstanceMetadata.TENANT), id);
            assertEquals(
                    sandbox.healthUrl(reefOf(id), id),
                    deployment.getMetadata().getAnnotations().get(InstanceMetadata.HEALTH_URL));
        }
    }

    @Test
    void seededInstancesAreAvailable() {
        for (Deployment deployment : instances) {
            DeploymentStatus status = deployment.getStatus();
            assertEquals(deployment.getMetadata().getGeneration(), status.getObservedGeneration());
            assertEquals(1, status.getReplicas());
            assertEquals(1, status.getUpdatedReplicas());
            assertEquals(1, status.getReadyReplicas());
            assertEquals(1, status.getAvailableReplicas());
            assertTrue(status.getConditions().stream()
                    .anyMatch(c ->
                            c.getType().equals("Available") && c.getStatus().equals("True")));
        }
    }

    @Test
    void exactlyOneStaffInstanceInTheFirstReef() {
        List<Deployment> staff = instances.stream()
                .filter(d -> "staff".equals(annotation(d, InstanceMetadata.RING)))
                .toList();
        assertEquals(1, staff.size());
        assertEquals("i-us1-001", staff.get(0).getMetadata().getName());
        assertEquals("reefline-staff", annotation(staff.get(0), InstanceMetadata.TENANT));
        assertEquals("true", annotation(staff.get(0), InstanceMetadata.ACTIVE));
        assertEquals(
                1,
                instances.stream()
                        .filter(d -> "reefline-staff".equals(annotation(d, InstanceMetadata.TENANT)))
                        .count());
    }

    @Test
    void tenantsAreDistinctSlugs() {
        Set<String> tenants = new HashSet<>();
        for (Deployment deployment : instances) {
            String tenant = annotation(deployment, InstanceMetadata.TENANT);
            assertTrue(tenant.matches("[a-z]+(-[a-z]+)*(-\\d+)?"), tenant);
            assertTrue(tenants.add(tenant), "duplicate tenant " + tenant);
        }
    }

    @Test
    void aboutNineInTenAreActiveAndAFewAreLaggards() {
        long active = instances.stream()
                .filter(d -> "true".equals(annotation(d, InstanceMetadata.ACTIVE)))
                .count();
        long inactive = instances.stream()
                .filter(d -> "false".equals(annotation(d, InstanceMetadata.ACTIVE)))
                .count();
        assertEquals(120, active + inactive);
        assertTrue(active >= 100 && active <= 112, "active: " + active);

        long laggards = instances.stream()
                .filter(d -> "laggard".equals(annotation(d, InstanceMetadata.RING)))
                .count();
        assertTrue(laggards >= 1 && laggards <= 4, "laggards: " + laggards);
    }

    @Test
    void maintenanceWindowsHaveTheDocumentedShapesAroundTheClock() {
        List<String> malformed = new ArrayList<>();
        Set<Integer> startHours = new HashSet<>();
        Set<String> dayShapes = new HashSet<>();
        int withZone = 0;
        for (Deployment deployment : instances) {
            String window = annotation(deployment, InstanceMetadata.MAINTENANCE_WINDOW);
            Matcher matcher = WINDOW.matcher(window);
            if (!matcher.matches()) {
                malformed.add(deployment.getMetadata().getName() + ": " + window);
                continue;
            }
            dayShapes.add(matcher.group(1));
            int start = Integer.parseInt(matcher.group(2)) * 60 + Integer.parseInt(matcher.group(3));
            int end = Integer.parseInt(matcher.group(4)) * 60 + Integer.parseInt(matcher.group(5));
            int length = Math.floorMod(end - start, 24 * 60);
            assertTrue(length >= 60 && length <= 240, window);
            startHours.add(start / 60);
            if (matcher.group(6) != null) {
                withZone++;
                assertNotNull(ZoneId.of(matcher.group(6).trim()));
            }
        }
        assertEquals(1, malformed.size(), malformed.toString());
        assertTrue(malformed.get(0).endsWith(InstanceSeeder.MALFORMED_WINDOW));
        assertEquals(24, startHours.size(), "start hours " + startHours);
        assertEquals(Set.of("Daily", "Mon-Fri", "Sat-Sun"), dayShapes);
        assertTrue(withZone > 20 && withZone < 100, "windows with a zone: " + withZone);
    }

    @Test
    void theMalformedWindowIsNotTheStaffInstance() {
        Deployment malformed = instances.stream()
                .filter(d -> InstanceSeeder.MALFORMED_WINDOW.equals(annotation(d, InstanceMetadata.MAINTENANCE_WINDOW)))
                .findFirst()
                .orElseThrow();
        assertTrue(annotation(malformed, InstanceMetadata.RING) == null
                || !annotation(malformed, InstanceMetadata.RING).equals("staff"));
    }

    @Test
    void seedingFollowsThePlan() {
        for (SeededInstance planned : InstanceSeeder.plan(sandbox.spec())) {
            Deployment deployment = instances.stream()
                    .filter(d -> d.getMetadata().getName().equals(planned.id()))
                    .findFirst()
                    .orElseThrow();
            assertEquals(planned.tenant(), annotation(deployment, InstanceMetadata.TENANT));
            assertEquals(planned.maintenanceWindow(), annotation(deployment, InstanceMetadata.MAINTENANCE_WINDOW));
        }
    }

    private String reefOf(String id) {
        return sandbox.reefs().stream()
                .filter(r -> id.startsWith(
                        "i-" + r.region() + r.name().substring(r.name().lastIndexOf('-') + 1) + "-"))
                .findFirst()
                .orElseThrow()
                .name();
    }

    private static String annotation(Deployment deployment, String key) {
        return deployment.getMetadata().getAnnotations().get(key);
    }
}
