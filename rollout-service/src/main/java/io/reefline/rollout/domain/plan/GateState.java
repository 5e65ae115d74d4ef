package io.reefline.rollout.domain.plan;

/**
 * The andon gate as the planner sees it. Closed means nothing starts; the caller maps "cannot reach andon-service" to
 * closed, so the line fails safe.
 */
public record GateState(boolean open, String reason) {

    public static final GateState OPEN = new GateState(true, "open");

    public static GateState closed(String reason) {
        return new GateState(false, reason);
    }
}
