package io.reefline.andon.rest;

import io.reefline.andon.domain.CellSilence;

/**
 * How one replica of a reef's cell stands: when the hub last heard from it (the hub's clock), the cords its spool held
 * for the hub then, how long it has been silent, its state ({@code ok}, {@code silent}, {@code cords-waiting}) and,
 * unless ok, why it holds its reef's line.
 */
public record CellView(
        String reef,
        String replica,
        String lastHeardAt,
        int queuedCords,
        String oldestQueuedAt,
        String silentFor,
        String state,
        String since,
        String reason) {

    public static CellView of(CellSilence.Verdict verdict) {
        CellSilence.Heartbeat heartbeat = verdict.heartbeat();
        return new CellView(
                heartbeat.reef(),
                heartbeat.replica(),
                heartbeat.lastHeardAt().toString(),
                heartbeat.queuedCords(),
                heartbeat.oldestQueuedAt() == null
                        ? null
                        : heartbeat.oldestQueuedAt().toString(),
                verdict.silentFor().toString(),
                verdict.state().code(),
                verdict.since().toString(),
                verdict.reason());
    }
}
