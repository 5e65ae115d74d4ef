package io.reefline.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceSeederTest {

    @Test
    void theSameSeedGivesTheSameFleet() {
        SandboxSpec spec = SandboxSpec.defaults();
        assertEquals(InstanceSeeder.plan(spec), InstanceSeeder.plan(spec));
        assertEquals(InstanceSeeder.plan(spec), InstanceSeeder.plan(SandboxSpec.defaults()));
    }

    @Test
    void anotherSeedGivesAnotherFleetWithTheSameIds() {
        List<SeededInstance> first = InstanceSeeder.plan(SandboxSpec.defaults());
        List<SeededInstance> second = InstanceSeeder.plan(SandboxSpec.defaults().withSeed(7));
        assertEquals(ids(first), ids(second));
        assertNotEquals(
                first.stream().map(SeededInstance::tenant).toList(),
                second.stream().map(SeededInstance::tenant).toList());
        assertNotEquals(
                first.stream().map(SeededInstance::maintenanceWindow).toList(),
                second.stream().map(SeededInstance::maintenanceWindow).toList());
        assertEquals(InstanceMetadata.STAFF_TENANT, second.get(0).tenant());
    }

    @Test
    void theMalformedWindowCanBeLeftOut() {
        assertTrue(InstanceSeeder.plan(SandboxSpec.defaults().withMalformedInstance(false)).stream()
                .noneMatch(i -> i.maintenanceWindow().equals(InstanceSeeder.MALFORMED_WINDOW)));
        assertEquals(
                1,
                InstanceSeeder.plan(SandboxSpec.defaults()).stream()
                        .filter(i -> i.maintenanceWindow().equals(InstanceSeeder.MALFORMED_WINDOW))
                        .count());
    }

    @Test
    void aLoneInstanceIsTheStaffInstance() {
        List<SeededInstance> plan =
                InstanceSeeder.plan(SandboxSpec.defaults().withReefs(1).withInstancesPerReef(1));
        assertEquals(1, plan.size());
        SeededInstance staff = plan.get(0);
        assertEquals("i-us1-001", staff.id());
        assertEquals(InstanceMetadata.STAFF_TENANT, staff.tenant());
        assertEquals(InstanceMetadata.STAFF_RING, staff.ring());
        assertTrue(staff.active());
        assertNotEquals(InstanceSeeder.MALFORMED_WINDOW, staff.maintenanceWindow());
    }

    @Test
    void largeFleetsKeepTenantsUnique() {
        List<SeededInstance> plan =
                InstanceSeeder.plan(SandboxSpec.defaults().withReefs(8).withInstancesPerReef(500));
        assertEquals(4000, plan.size());
        Set<String> tenants = new HashSet<>();
        plan.forEach(i -> assertTrue(tenants.add(i.tenant()), i.tenant()));
        assertEquals(4000, new HashSet<>(ids(plan)).size());
        assertEquals("i-us3-500", plan.get(plan.size() - 1 - 500).id());
    }

    @Test
    void specsRejectWhatCannotRun() {
        assertThrows(
                IllegalArgumentException.class, () -> SandboxSpec.defaults().withReefs(0));
        assertThrows(
                IllegalArgumentException.class, () -> SandboxSpec.defaults().withInstancesPerReef(0));
        assertThrows(
                IllegalArgumentException.class, () -> SandboxSpec.defaults().withNamespace("Instances"));
        assertThrows(
                IllegalArgumentException.class, () -> SandboxSpec.defaults().withBasePort(65534));
        assertThrows(
                IllegalArgumentException.class, () -> SandboxSpec.defaults().withKubeletDelay(Duration.ofMillis(-1)));
    }

    private static List<String> ids(List<SeededInstance> plan) {
        return plan.stream().map(SeededInstance::id).toList();
    }
}
