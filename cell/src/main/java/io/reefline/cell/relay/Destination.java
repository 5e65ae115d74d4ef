package io.reefline.cell.relay;

/** Where a relayed message goes at the hub; each destination keeps its own order and its own forwarder. */
public enum Destination {
    /** The hub's andon-service: cord pulls. */
    ANDON("andon", true),
    /** The hub's metrics-service: downtime reports. */
    METRICS("metrics", true),
    /**
     * The hub's rollout-service: signal samples for canary analysis. Many and each worth little alone: one the hub
     * refuses for good is dropped with a log line, not kept.
     */
    ROLLOUT("rollout", false);

    private final String code;
    private final boolean keepsRefused;

    Destination(String code, boolean keepsRefused) {
        this.code = code;
        this.keepsRefused = keepsRefused;
    }

    /** Whether a message the hub refuses for good is kept in the spool's {@code rejected/} folder for a person. */
    public boolean keepsRefused() {
        return keepsRefused;
    }

    /** The lower-case name used for folders, settings ({@code reefline.services.<code>}) and reports. */
    public String code() {
        return code;
    }
}
