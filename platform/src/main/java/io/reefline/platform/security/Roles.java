package io.reefline.platform.security;

/**
 * The roles a token's {@code groups} claim may carry. Higher roles include the lower ones (admin ⊇ operator ⊇
 * viewer), see {@link RoleHierarchy}; {@code service} is for service-to-service calls and may also read.
 */
public final class Roles {

    /** Read everything, and pull an andon cord: anyone may stop the line. */
    public static final String VIEWER = "viewer";
    /** Change flags, resolve cords, manage releases. */
    public static final String OPERATOR = "operator";
    /** Policy, keys, environments. */
    public static final String ADMIN = "admin";
    /** Another Reefline service. */
    public static final String SERVICE = "service";

    private Roles() {}
}
