package io.reefline.andon.domain;

/** Open cords stop the line; resolved ones have a fix; closed ones are history. */
public enum CordState {
    OPEN,
    RESOLVED,
    CLOSED
}
