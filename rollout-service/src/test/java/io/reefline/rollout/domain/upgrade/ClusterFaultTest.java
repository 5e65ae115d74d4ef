package io.reefline.rollout.domain.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterFaultTest {

    @Test
    void onlyNoAnswerTimeoutsThrottlingAnd5xxAreTheReefs() {
        assertEquals(ClusterFault.REEF, ClusterFault.of(0), "connection refused or timed out");
        assertEquals(ClusterFault.REEF, ClusterFault.of(500));
        assertEquals(ClusterFault.REEF, ClusterFault.of(503));
        assertEquals(ClusterFault.REEF, ClusterFault.of(429));
        assertEquals(ClusterFault.REEF, ClusterFault.of(408));
    }

    @Test
    void aRefusalOfOneRequestIsTheUpgrades() {
        for (int status : new int[] {400, 403, 404, 409, 422}) {
            assertEquals(ClusterFault.UPGRADE, ClusterFault.of(status), "HTTP " + status);
        }
    }
}
