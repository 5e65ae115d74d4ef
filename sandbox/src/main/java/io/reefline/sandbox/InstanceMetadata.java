package io.reefline.sandbox;

/**
 * The labels and annotations that make a Deployment a Reefline customer instance (see DESIGN.md, "Contracts").
 *
 * <p>Public so that tests of other modules can read and write seeded instances without repeating the strings.
 */
public final class InstanceMetadata {

    /** Label carrying the instance id; its presence is what makes a Deployment an instance. */
    public static final String INSTANCE_LABEL = "reefline.io/instance";

    public static final String APP_NAME_LABEL = "app.kubernetes.io/name";
    public static final String APP_NAME = "product";

    public static final String TENANT = "reefline.io/tenant";
    /** {@code <days> HH:MM-HH:MM[ <zone>]}, e.g. {@code Mon-Fri 09:00-12:00}; UTC when no zone is given. */
    public static final String MAINTENANCE_WINDOW = "reefline.io/maintenance-window";
    /** {@code true} or {@code false}: only active instances are eligible for canary selection. */
    public static final String ACTIVE = "reefline.io/active";
    /** Optional pin to the {@value #STAFF_RING} or {@value #LAGGARD_RING} ring. */
    public static final String RING = "reefline.io/ring";
    /** Where the instance answers its health check (sandbox only). */
    public static final String HEALTH_URL = "reefline.io/health-url";

    public static final String STAFF_RING = "staff";
    public static final String LAGGARD_RING = "laggard";
    public static final String STAFF_TENANT = "reefline-staff";

    private InstanceMetadata() {}
}
