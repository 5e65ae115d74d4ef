package io.reefline.cell.relay;

/** Where a relayed message goes at the hub; each destination keeps its own order and its own forwarder. */
public enum Destination {
    /** The hub's andon-service: cord pulls. */
    ANDON("andon"),
    /** The hub's metrics-service: downtime reports. */
    METRICS("metrics");

    private final String code;

    Destination(String code) {
        this.code = code;
    }

    /** The lower-case name used for folders, settings ({@code reefline.services.<code>}) and reports. */
    public String code() {
        return code;
    }
}
