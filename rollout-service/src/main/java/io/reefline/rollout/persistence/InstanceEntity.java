package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.reefline.rollout.domain.fleet.Channel;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;

/**
 * A discovered instance as stored: what the reef says (refreshed by discovery) and what an operator decided here
 * ({@link #pinOverride}, {@link #optedOut}), which discovery never touches.
 */
@Entity
@Table(name = "instance")
public class InstanceEntity extends PanacheEntityBase {

    @Id
    @Column(length = 253)
    public String id;

    @Column(nullable = false, length = 100)
    public String reef;

    @Column(nullable = false, length = 100)
    public String region;

    @Column(length = 200)
    public String tenant;

    /** The canonical window text when it parsed, else the annotation as written. */
    @Column(name = "window_text", length = 200)
    public String windowText;

    @Column(nullable = false)
    public boolean active;

    /**
     * From the {@code reefline.io/channel} annotation, {@code stable} when absent; the annotation as written (cut to
     * the column) when it is not a channel name, which makes the instance invalid.
     */
    @Column(nullable = false, length = Channel.MAX_LENGTH)
    public String channel = Channel.DEFAULT;

    /** From the {@code reefline.io/ring} annotation; null when the annotation is malformed. */
    @Enumerated(EnumType.STRING)
    @Column(name = "annotation_pin", length = 10)
    public PinnedRing annotationPin;

    /** Set through the API; wins over the annotation. */
    @Enumerated(EnumType.STRING)
    @Column(name = "pin_override", length = 10)
    public PinnedRing pinOverride;

    @Column(name = "opted_out", nullable = false)
    public boolean optedOut;

    @Column(length = 500)
    public String image;

    @Column(name = "current_version", length = 100)
    public String currentVersion;

    @Column(nullable = false)
    public boolean valid;

    /** The validation errors as a JSON array of strings. */
    @Column(nullable = false, columnDefinition = "text")
    public String errors;

    @Column(name = "discovered_at", nullable = false)
    public Instant discoveredAt;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public static Optional<InstanceEntity> byId(String id) {
        return findByIdOptional(id);
    }

    /** The pin the planner uses: the operator's override, else the annotation. */
    public PinnedRing effectivePin() {
        if (pinOverride != null) {
            return pinOverride;
        }
        return annotationPin == null ? PinnedRing.NONE : annotationPin;
    }

    public String etagValue() {
        return id + "-" + version;
    }

    /** The domain's view; only for valid instances, which have every field the planner needs. */
    public Instance toDomain() {
        return new Instance(
                id,
                reef,
                region,
                tenant,
                MaintenanceWindow.parse(windowText),
                active,
                effectivePin(),
                optedOut,
                io.reefline.platform.version.Version.parse(currentVersion),
                channel);
    }
}
