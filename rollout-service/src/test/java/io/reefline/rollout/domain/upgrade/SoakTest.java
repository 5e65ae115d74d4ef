package io.reefline.rollout.domain.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SoakTest {

    static final Instant AVAILABLE = Instant.parse("2026-03-02T08:00:00Z");
    final Soak soak = new Soak(Duration.ofMinutes(6), 3, 2, 3);

    private static Upgrade available() {
        Upgrade u = new Upgrade();
        u.availableAt = AVAILABLE;
        return u;
    }

    private Soak.Verdict at(Upgrade u, int minute, boolean passed) {
        return soak.record(u, passed, AVAILABLE.plusSeconds(60L * minute));
    }

    @Test
    void succeedsAfterThreeSpreadPassesOnceTheSoakHasPassed() {
        Upgrade u = available();
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 0, true));
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 2, true));
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 4, true), "three passes, but the soak is not over");
        assertEquals(Soak.Verdict.SUCCEED, at(u, 6, true));
    }

    @Test
    void oneLuckyCheckAfterALongGapIsNotEnough() {
        Upgrade u = available();
        at(u, 0, true);
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 30, true), "only two spread passes");
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 31, true), "a minute later is closer than soak/3 = 2 min");
        assertEquals(Soak.Verdict.SUCCEED, at(u, 32, true));
        assertEquals(3, u.checksPassed);
    }

    @Test
    void passesCloserThanTheSpacingCountOnce() {
        Upgrade u = available();
        for (int second = 0; second <= 60; second += 10) {
            soak.record(u, true, AVAILABLE.plusSeconds(second));
        }
        assertEquals(1, u.checksPassed, "seven checks within a minute are one spread pass");
    }

    @Test
    void aFailureInTheCleanTailHoldsTheSuccess() {
        Upgrade u = available();
        at(u, 0, true);
        at(u, 2, true);
        at(u, 4, true);
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 6, false), "the latest check failed");
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 7, true), "one of the last two failed");
        assertEquals(Soak.Verdict.SUCCEED, at(u, 8, true), "the last two passed");
    }

    @Test
    void aFailingCheckNeverSucceedsEvenAfterTheSoak() {
        Upgrade u = available();
        at(u, 0, true);
        at(u, 2, true);
        at(u, 4, true);
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 60, false), "three spread passes, the soak long over");
    }

    @Test
    void threeFailuresInARowFail() {
        Upgrade u = available();
        at(u, 0, false);
        at(u, 1, false);
        at(u, 2, true);
        at(u, 3, false);
        assertEquals(Soak.Verdict.KEEP_CHECKING, at(u, 4, false));
        assertEquals(Soak.Verdict.FAIL, at(u, 5, false));
    }
}
