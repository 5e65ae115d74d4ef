package io.reefline.rollout.domain.upgrade;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class UpgradeStateTest {

    @Test
    void terminalStatesNeverChange() {
        for (UpgradeState from : UpgradeState.values()) {
            if (!from.terminal()) {
                continue;
            }
            for (UpgradeState to : UpgradeState.values()) {
                assertFalse(from.mayBecome(to), from + " -> " + to);
            }
        }
    }

    @Test
    void theStateMachinesEdges() {
        assertTrue(UpgradeState.PLANNED.mayBecome(UpgradeState.STARTED));
        assertTrue(UpgradeState.STARTED.mayBecome(UpgradeState.VERIFYING));
        assertTrue(UpgradeState.VERIFYING.mayBecome(UpgradeState.SUCCEEDED));
        assertTrue(UpgradeState.VERIFYING.mayBecome(UpgradeState.FAILED));
        assertTrue(UpgradeState.FAILED.mayBecome(UpgradeState.RESTORED));
        assertTrue(UpgradeState.FAILED.mayBecome(UpgradeState.UNRESTORED));
        assertTrue(UpgradeState.VERIFYING.mayBecome(UpgradeState.VERIFYING), "a check is recorded");
        assertFalse(UpgradeState.STARTED.mayBecome(UpgradeState.SUCCEEDED), "never without the soak");
        assertFalse(UpgradeState.FAILED.mayBecome(UpgradeState.STARTED), "never tried again");
        assertFalse(UpgradeState.PLANNED.mayBecome(UpgradeState.RESTORED));
    }
}
