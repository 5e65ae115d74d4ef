package io.reefline.platform.security;

import io.quarkus.security.identity.SecurityIdentity;

/** Who made a change, taken from the verified token and never from a request body. */
public final class Caller {

    private Caller() {}

    public static String name(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return "anonymous";
        }
        return identity.getPrincipal().getName();
    }
}
