package io.reefline.rollout.domain.upgrade;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.rollout.domain.upgrade.UpgradeRules.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UpgradeRulesTest {

    static final String NEW = "registry.reefline.local/product:2026.3.1";
    static final Instant STARTED = Instant.parse("2026-03-02T09:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static RolloutObservation seen(
            long generation, long observed, int updated, int available, boolean availableCondition, String failure) {
        return new RolloutObservation(NEW, generation, observed, 2, updated, available, availableCondition, failure);
    }

    private static Verdict at(RolloutObservation seen, int minutes) {
        return UpgradeRules.rollout(seen, NEW, STARTED, STARTED.plusSeconds(60L * minutes), TIMEOUT);
    }

    @Test
    void availableOnlyWhenTheControllerSawTheNewGenerationAndEveryReplicaIsUpdatedAndAvailable() {
        assertInstanceOf(Verdict.Available.class, at(seen(3, 3, 2, 2, true, null), 1));
        assertInstanceOf(Verdict.Wait.class, at(seen(3, 2, 2, 2, true, null), 1), "old generation's status");
        assertInstanceOf(Verdict.Wait.class, at(seen(3, 3, 1, 2, true, null), 1), "one replica still old");
        assertInstanceOf(Verdict.Wait.class, at(seen(3, 3, 2, 1, true, null), 1), "one replica not available");
        assertInstanceOf(Verdict.Wait.class, at(seen(3, 3, 2, 2, false, null), 1), "Available condition False");
    }

    @Test
    void failsOnAFailureConditionOfTheNewGenerationOrAfterTheTimeout() {
        Verdict failed = at(seen(3, 3, 2, 0, false, "Progressing=False ProgressDeadlineExceeded"), 2);
        assertInstanceOf(Verdict.Fail.class, failed);
        assertTrue(((Verdict.Fail) failed).reason().contains("ProgressDeadlineExceeded"));
        assertInstanceOf(
                Verdict.Wait.class,
                at(seen(3, 2, 2, 0, false, "Progressing=False ProgressDeadlineExceeded"), 2),
                "a failure reported for the previous generation says nothing about this rollout");
        assertInstanceOf(Verdict.Wait.class, at(seen(3, 3, 1, 1, false, null), 9));
        Verdict late = at(seen(3, 3, 1, 1, false, null), 10);
        assertInstanceOf(Verdict.Fail.class, late);
        assertTrue(((Verdict.Fail) late).reason().contains("within PT10M"), ((Verdict.Fail) late).reason());
    }

    @Test
    void anImageSetBySomeoneElseIsNotOurs() {
        RolloutObservation other =
                new RolloutObservation("registry.reefline.local/product:2026.3.9", 4, 4, 2, 2, 2, true, null);
        assertInstanceOf(Verdict.Overtaken.class, UpgradeRules.rollout(other, NEW, STARTED, STARTED, TIMEOUT));
    }
}
