package io.reefline.andon.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The rule that keeps a reef's line stopped while the hub may not know of a cord pulled there. A reef's cell takes
 * cords locally and forwards them; it also sends a heartbeat saying how many cords still wait in its spool. If the cell
 * has not been heard from for longer than the allowed silence, or its last heartbeat reported cords waiting, a cord
 * pulled in that reef may not have reached the hub: the reef is not upgraded. A reef whose cell never sent a heartbeat
 * (a fleet without cells, or a reef not yet given one) is judged by its cords only.
 */
public final class CellSilence {

    /** The last heartbeat the hub heard from one replica of a reef's cell, at the hub's clock. */
    public record Heartbeat(String reef, String replica, Instant lastHeardAt, int queuedCords, Instant oldestQueuedAt) {
        public Heartbeat {
            Objects.requireNonNull(reef, "reef");
            Objects.requireNonNull(replica, "replica");
            Objects.requireNonNull(lastHeardAt, "lastHeardAt");
        }
    }

    /** How a cell stands. */
    public enum State {
        /** Heard from recently, nothing waiting for the hub. */
        OK("ok"),
        /** Not heard from for longer than the allowed silence. */
        SILENT("silent"),
        /** Heard from, but its last heartbeat reported cords waiting to reach the hub. */
        CORDS_WAITING("cords-waiting");

        private final String code;

        State(String code) {
            this.code = code;
        }

        /** The lower-case name on the wire. */
        public String code() {
            return code;
        }
    }

    /**
     * The judgement of one replica's heartbeat at {@code now}: its state, since when it holds (the last heartbeat
     * while silent, the oldest queued cord while cords wait), how long it has been silent, and, unless the state is
     * {@link State#OK}, why the line stops in its reef.
     */
    public record Verdict(Heartbeat heartbeat, State state, Instant since, Duration silentFor, String reason) {
        public boolean blocks() {
            return state != State.OK;
        }
    }

    private CellSilence() {}

    /** How {@code heartbeat} stands at {@code now}, when a cell may stay silent for {@code allowedSilence}. */
    public static Verdict judge(Heartbeat heartbeat, Instant now, Duration allowedSilence) {
        Duration silentFor = Duration.between(heartbeat.lastHeardAt(), now);
        if (silentFor.isNegative()) {
            silentFor = Duration.ZERO;
        }
        String cell = "the cell of " + heartbeat.reef() + " (replica " + heartbeat.replica() + ")";
        if (silentFor.compareTo(allowedSilence) > 0) {
            return new Verdict(
                    heartbeat,
                    State.SILENT,
                    heartbeat.lastHeardAt(),
                    silentFor,
                    cell + " has not been heard from since " + heartbeat.lastHeardAt()
                            + ": cords pulled there may not have reached the hub");
        }
        if (heartbeat.queuedCords() > 0) {
            Instant since = heartbeat.oldestQueuedAt() == null ? heartbeat.lastHeardAt() : heartbeat.oldestQueuedAt();
            return new Verdict(
                    heartbeat,
                    State.CORDS_WAITING,
                    since,
                    silentFor,
                    cell + " reported " + heartbeat.queuedCords() + (heartbeat.queuedCords() == 1 ? " cord" : " cords")
                            + " waiting to reach the hub since " + since + " (last heard at "
                            + heartbeat.lastHeardAt() + ")");
        }
        return new Verdict(heartbeat, State.OK, heartbeat.lastHeardAt(), silentFor, null);
    }

    /**
     * The verdicts that stop the line in {@code reef}: one per replica of its cell that is silent or has cords waiting,
     * oldest first. None for a question without a reef, and none for a reef whose cell never sent a heartbeat.
     */
    public static List<Verdict> blocking(
            Collection<Heartbeat> heartbeats, String reef, Instant now, Duration allowedSilence) {
        if (reef == null) {
            return List.of();
        }
        return heartbeats.stream()
                .filter(heartbeat -> heartbeat.reef().equals(reef))
                .map(heartbeat -> judge(heartbeat, now, allowedSilence))
                .filter(Verdict::blocks)
                .sorted(Comparator.comparing(Verdict::since)
                        .thenComparing(v -> v.heartbeat().replica()))
                .toList();
    }
}
