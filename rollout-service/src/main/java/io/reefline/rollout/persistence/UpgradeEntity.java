package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;
import io.reefline.rollout.domain.upgrade.Upgrade;
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

    @Column(name = "last_pass_at")
    public Instant lastPassAt;

    /** The most recent check results, newest in bit 0. */
    @Column(name = "recent_checks", nullable = false)
    public int recentChecks;

    @Column(name = "checks_run", nullable = false)
    public int checksRun;

    @Column(name = "first_error_at")
    public Instant firstErrorAt;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** Kubernetes requests of this upgrade refused in a row (reset when one goes through). */
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

    /** This row as the domain sees it. */
    public Upgrade toUpgrade() {
        Upgrade u = new Upgrade();
        u.id = id;
        u.instanceId = instanceId;
        u.reef = reef;
        u.releaseVersion = releaseVersion;
        u.ring = ring;
        u.targetImage = targetImage;
        u.previousImage = previousImage;
        u.state = state;
        u.reason = reason;
        u.plannedAt = plannedAt;
        u.startedAt = startedAt;
        u.availableAt = availableAt;
        u.failedAt = failedAt;
        u.finishedAt = finishedAt;
        u.lastCheckAt = lastCheckAt;
        u.checkFailures = checkFailures;
        u.checksPassed = checksPassed;
        u.lastPassAt = lastPassAt;
        u.recentChecks = recentChecks;
        u.checksRun = checksRun;
        u.attempts = attempts;
        u.firstErrorAt = firstErrorAt;
        u.nextAttemptAt = nextAttemptAt;
        u.lastError = lastError;
        u.cordEventId = cordEventId;
        u.version = version;
        return u;
    }

    /** Takes every field but id and version (those are the store's) from {@code u}. */
    public void takeFrom(Upgrade u) {
        instanceId = u.instanceId;
        reef = u.reef;
        releaseVersion = u.releaseVersion;
        ring = u.ring;
        targetImage = u.targetImage;
        previousImage = u.previousImage;
        state = u.state;
        reason = u.reason;
        plannedAt = u.plannedAt;
        startedAt = u.startedAt;
        availableAt = u.availableAt;
        failedAt = u.failedAt;
        finishedAt = u.finishedAt;
        lastCheckAt = u.lastCheckAt;
        checkFailures = u.checkFailures;
        checksPassed = u.checksPassed;
        lastPassAt = u.lastPassAt;
        recentChecks = u.recentChecks;
        checksRun = u.checksRun;
        attempts = u.attempts;
        firstErrorAt = u.firstErrorAt;
        nextAttemptAt = u.nextAttemptAt;
        lastError = u.lastError;
        cordEventId = u.cordEventId;
    }

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
