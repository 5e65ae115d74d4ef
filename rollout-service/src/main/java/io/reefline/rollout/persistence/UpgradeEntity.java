package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One instance's upgrade to one release; see {@link UpgradeState} for the state machine. */
@Entity
@Table(name = "upgrade")
public class UpgradeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "upgrade_seq")
    @SequenceGenerator(name = "upgrade_seq", sequenceName = "upgrade_seq", allocationSize = 50)
    public Long id;

    @Column(name = "instance_id", nullable = false, length = 253)
    public String instanceId;

    @Column(nullable = false, length = 100)
    public String reef;

    @Column(name = "release_version", nullable = false, length = 100)
    public String releaseVersion;

    @Column(length = 40)
    public String ring;

    @Column(name = "target_image", nullable = false, length = 500)
    public String targetImage;

    @Column(name = "previous_image", nullable = false, length = 500)
    public String previousImage;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 12)
    public UpgradeState state;

    /** Why it failed or was cancelled; while rolling out, what the Deployment last said. */
    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "planned_at", nullable = false)
    public Instant plannedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "available_at")
    public Instant availableAt;

    @Column(name = "failed_at")
    public Instant failedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "last_check_at")
    public Instant lastCheckAt;

    /** Consecutive failed post-upgrade checks. */
    @Column(name = "check_failures", nullable = false)
    public int checkFailures;

    @Column(name = "checks_passed", nullable = false)
    public int checksPassed;

    /** Kubernetes calls for this upgrade that failed and were retried. */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error", length = 2000)
    public String lastError;

    /** The outbox event that pulls the cord for this failure; the release holds until it is delivered. */
    @Column(name = "cord_event_id")
    public UUID cordEventId;

    @Version
    @Column(nullable = false)
    public long version;

    public static List<UpgradeEntity> running() {
        return list("state in ?1", Sort.by("plannedAt").and("id"), UpgradeState.RUNNING);
    }

    public static List<UpgradeEntity> ofRelease(String releaseVersion) {
        return list("releaseVersion", Sort.by("plannedAt").and("id"), releaseVersion);
    }

    public static List<UpgradeEntity> ofInstance(String instanceId) {
        return list("instanceId", Sort.by("plannedAt").descending().and("id", Sort.Direction.Descending), instanceId);
    }
}
