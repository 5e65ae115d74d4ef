package io.reefline.platform.net;

/** An outgoing request's destination is not allowed ({@link Destinations}); nothing was sent. */
public class RefusedDestination extends RuntimeException {

    public RefusedDestination(String reason) {
        super(reason, null, false, false);
    }
}
