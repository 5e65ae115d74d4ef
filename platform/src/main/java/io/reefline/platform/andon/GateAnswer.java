package io.reefline.platform.andon;

/**
 * What andon-service's gate said about a move: allowed, or closed with the reason (the open cords, the reef's silent
 * cell, or why andon-service could not be asked).
 */
public record GateAnswer(boolean allowed, String reason) {

    public static GateAnswer open() {
        return new GateAnswer(true, "open");
    }

    public static GateAnswer closed(String reason) {
        return new GateAnswer(false, reason);
    }
}
