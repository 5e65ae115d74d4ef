package io.reefline.andon.domain;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The one place the stop-the-line rule lives: a move of a release into a reef and ring is allowed only when no open
 * cord covers it. A cord covers a move when its scope covers the release and reef and the ring is not one of the
 * cord's {@code allowRings} (e.g. staff keeps receiving fixes). Unknown parameters are treated as covered: when in
 * doubt, the line stays stopped.
 */
public final class AndonGate {

    /** What the gate needs to know of an open cord. */
    public record OpenCord(long id, Scope scope, Set<String> allowRings) {}

    /** The answer: allowed, or the cords that block the move. */
    public record Decision(boolean allowed, List<Long> blockingCords) {}

    private AndonGate() {}

    public static Decision decide(Collection<OpenCord> openCords, String release, String reef, String ring) {
        List<Long> blocking = openCords.stream()
                .filter(cord -> cord.scope().covers(release, reef))
                .filter(cord -> ring == null || !cord.allowRings().contains(ring))
                .map(OpenCord::id)
                .sorted()
                .toList();
        return new Decision(blocking.isEmpty(), blocking);
    }
}
