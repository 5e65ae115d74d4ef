package io.reefline.andon.domain;

import java.util.Optional;

/**
 * What can happen to a cord, and the state each step leads to. A pull starts a cord; an open cord is resolved once
 * a fix is known; open and resolved cords are closed into history; resolved and closed cords are reopened when the
 * problem comes back.
 */
public enum CordAction {
    PULL("pull"),
    RESOLVE("resolve"),
    CLOSE("close"),
    REOPEN("reopen");

    private final String code;

    CordAction(String code) {
        this.code = code;
    }

    /** The word stored in a cord's history. */
    public String code() {
        return code;
    }

    /** The state a cord in {@code current} moves to, or empty when this action is not allowed from there. */
    public Optional<CordState> from(CordState current) {
        return switch (this) {
            case PULL -> Optional.empty();
            case RESOLVE -> current == CordState.OPEN ? Optional.of(CordState.RESOLVED) : Optional.empty();
            case CLOSE -> current == CordState.CLOSED ? Optional.empty() : Optional.of(CordState.CLOSED);
            case REOPEN -> current == CordState.OPEN ? Optional.empty() : Optional.of(CordState.OPEN);
        };
    }

    /** Which states this action may start from, for error messages. */
    public String allowedFrom() {
        return switch (this) {
            case PULL -> "nothing (a pull creates a new cord)";
            case RESOLVE -> "open";
            case CLOSE -> "open or resolved";
            case REOPEN -> "resolved or closed";
        };
    }
}
