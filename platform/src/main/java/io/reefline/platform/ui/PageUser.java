package io.reefline.platform.ui;

import io.quarkus.security.identity.SecurityIdentity;

/** The name shown in a page's top bar. */
public final class PageUser {

    private PageUser() {}

    public static String of(SecurityIdentity identity) {
        return identity == null || identity.isAnonymous()
                ? null
                : identity.getPrincipal().getName();
    }
}
