package io.reefline.andon.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CellSilenceTest {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final Duration SILENCE = Duration.ofMinutes(1);

    private static CellSilence.Heartbeat heard(String reef, Duration ago, int queued, Instant oldest) {
        return new CellSilence.Heartbeat(reef, "cell-0", NOW.minus(ago), queued, oldest);
    }

    @Test
    void shouldHoldAReefWhoseCellIsSilentSinceItsLastHeartbeat() {
        CellSilence.Heartbeat heartbeat = heard("reef-eu-1", Duration.ofSeconds(61), 0, null);

        AndonGate.Decision decision =
                AndonGate.decide(List.of(), List.of(heartbeat), "2026.11.3", "reef-eu-1", "canary", NOW, SILENCE);

        assertFalse(decision.allowed());
        assertEquals(List.of(), decision.blockingCords());
        CellSilence.Verdict verdict = decision.blockingCells().get(0);
        assertEquals(CellSilence.State.SILENT, verdict.state());
        assertEquals(heartbeat.lastHeardAt(), verdict.since());
        assertEquals(Duration.ofSeconds(61), verdict.silentFor());
        assertEquals(
                "the cell of reef-eu-1 (replica cell-0) has not been heard from since 2026-03-02T08:58:59Z: cords"
                        + " pulled there may not have reached the hub",
                verdict.reason());
    }

    @Test
    void shouldHoldAReefWhoseCellReportsCordsWaitingSinceTheOldest() {
        Instant oldest = Instant.parse("2026-03-02T08:40:00Z");
        CellSilence.Heartbeat heartbeat = heard("reef-eu-1", Duration.ofSeconds(5), 2, oldest);

        AndonGate.Decision decision =
                AndonGate.decide(List.of(), List.of(heartbeat), null, "reef-eu-1", null, NOW, SILENCE);

        assertFalse(decision.allowed());
        CellSilence.Verdict verdict = decision.blockingCells().get(0);
        assertEquals(CellSilence.State.CORDS_WAITING, verdict.state());
        assertEquals(oldest, verdict.since());
        assertTrue(verdict.reason().contains("reported 2 cords waiting to reach the hub since 2026-03-02T08:40:00Z"));
    }

    @Test
    void shouldCallACellThatIsBothSilentAndHadCordsWaitingSilent() {
        CellSilence.Verdict verdict = CellSilence.judge(
                heard("reef-eu-1", Duration.ofMinutes(5), 1, NOW.minus(Duration.ofMinutes(6))), NOW, SILENCE);

        assertEquals(CellSilence.State.SILENT, verdict.state());
    }

    @Test
    void shouldAllowAReefWhoseCellWasHeardFromRecentlyWithNothingWaiting() {
        CellSilence.Heartbeat heartbeat = heard("reef-eu-1", SILENCE, 0, null);

        AndonGate.Decision decision =
                AndonGate.decide(List.of(), List.of(heartbeat), "2026.11.3", "reef-eu-1", "stable", NOW, SILENCE);

        assertTrue(decision.allowed());
        assertEquals(List.of(), decision.blockingCells());
        CellSilence.Verdict verdict = CellSilence.judge(heartbeat, NOW, SILENCE);
        assertEquals(CellSilence.State.OK, verdict.state());
        assertNull(verdict.reason());
    }

    @Test
    void shouldLeaveReefsWithoutACellAndOtherReefsToTheirCords() {
        List<CellSilence.Heartbeat> heartbeats = List.of(heard("reef-eu-1", Duration.ofHours(1), 3, NOW));

        assertTrue(AndonGate.decide(List.of(), heartbeats, "2026.11.3", "reef-us-1", "stable", NOW, SILENCE)
                .allowed());
        AndonGate.Decision byCords = AndonGate.decide(
                List.of(new AndonGate.OpenCord(7, Scope.parse("reef:reef-us-1").orElseThrow(), Set.of())),
                heartbeats,
                "2026.11.3",
                "reef-us-1",
                "stable",
                NOW,
                SILENCE);
        assertEquals(List.of(7L), byCords.blockingCords());
        assertEquals(List.of(), byCords.blockingCells());
    }

    @Test
    void shouldLeaveQuestionsWithoutAReefToTheCords() {
        List<CellSilence.Heartbeat> heartbeats = List.of(heard("reef-eu-1", Duration.ofHours(1), 3, NOW));

        assertTrue(AndonGate.decide(List.of(), heartbeats, "2026.11.3", null, null, NOW, SILENCE)
                .allowed());
    }

    @Test
    void shouldHoldAReefWhileAnyOfItsReplicasHoldsIt() {
        List<CellSilence.Heartbeat> heartbeats = List.of(
                new CellSilence.Heartbeat("reef-eu-1", "cell-0", NOW, 0, null),
                new CellSilence.Heartbeat("reef-eu-1", "cell-1", NOW, 1, NOW.minusSeconds(30)));

        AndonGate.Decision decision = AndonGate.decide(List.of(), heartbeats, null, "reef-eu-1", null, NOW, SILENCE);

        assertFalse(decision.allowed());
        assertEquals("cell-1", decision.blockingCells().get(0).heartbeat().replica());
        assertEquals(1, decision.blockingCells().size());
    }
}
