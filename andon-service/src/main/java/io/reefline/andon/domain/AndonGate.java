package io.reefline.andon.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one place the stop-the-line rule lives: a move of a release into a reef and ring is allowed only when no open
 * cord covers it. A cord covers a move when its scope covers the release and reef and the ring is not one of the
 * cord's {@code allowRings} (e.g. staff keeps receiving fixes). Unknown parameters are treated as covered: when in
 * doubt, the line stays stopped. A move into a named reef is also held while that reef's cell is silent or reports
 * cords still waiting to reach the hub ({@link CellSilence}): a cord pulled there may not be known here yet.
 */
public final class AndonGate {

    /** What the gate needs to know of an open cord. */
    public record OpenCord(long id, Scope scope, Set<String> allowRings) {}

    /** The answer: allowed, or the cords and the cells of the reef that block the move. */
    public record Decision(boolean allowed, List<Long> blockingCords, List<CellSilence.Verdict> blockingCells) {}

    private AndonGate() {}

    /** The decision by cords alone, as in a fleet without cells. */
    public static Decision decide(Collection<OpenCord> openCords, String release, String reef, String ring) {
        return decide(openCords, List.of(), release, reef, ring, Instant.EPOCH, Duration.ZERO);
    }

    /**
     * The decision by cords and by the heartbeats of the cells ({@link CellSilence#blocking}) at {@code now}, when a
     * cell may stay silent for {@code allowedSilence}.
     */
    public static Decision decide(
            Collection<OpenCord> openCords,
            Collection<CellSilence.Heartbeat> heartbeats,
            String release,
            String reef,
            String ring,
            Instant now,
            Duration allowedSilence) {
        List<Long> blocking = openCords.stream()
                .filter(cord -> cord.scope().covers(release, reef))
                .filter(cord -> ring == null || !cord.allowRings().contains(ring))
                .map(OpenCord::id)
                .sorted()
                .toList();
        List<CellSilence.Verdict> cells = CellSilence.blocking(heartbeats, reef, now, allowedSilence);
        return new Decision(blocking.isEmpty() && cells.isEmpty(), blocking, cells);
    }
}
