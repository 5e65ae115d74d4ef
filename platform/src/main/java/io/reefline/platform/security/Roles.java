package io.reefline.platform.security;

/**
 * The roles a token's {@code groups} claim may carry. Higher roles include the lower ones (admin ⊇ operator ⊇
 * viewer), see {@link RoleHierarchy}; {@code service} is for the hub's services calling each other and may also read.
 * {@code cell} and {@code publisher} are narrow on purpose and include nothing: no token that a reef's cell or a CI
 * job holds can read tenants or do another's job. Customer pods hold no Reefline token at all: their sidecars prove
 * their instance to their reef's cell with the pod's own service-account token.
 */
public final class Roles {

    /** Read everything, and pull an andon cord: anyone may stop the line. */
    public static final String VIEWER = "viewer";
    /** Change flags, resolve cords, manage releases. */
    public static final String OPERATOR = "operator";
    /** Policy, keys, environments. */
    public static final String ADMIN = "admin";
    /** One of the hub's services (rollout, andon, metrics, flag) calling another; may also read. */
    public static final String SERVICE = "service";
    /**
     * A reef's cell: forwards the cords and downtime reports it took, sends its heartbeats and reads the flag
     * snapshot it serves OFREP from. Nothing else, not even reading, and only for the reef its token names (see
     * {@link CellIdentity}).
     */
    public static final String CELL = "cell";
    /** A CI job publishing releases: registers releases and sends commit, release and deployment events. */
    public static final String PUBLISHER = "publisher";

    private Roles() {}
}
