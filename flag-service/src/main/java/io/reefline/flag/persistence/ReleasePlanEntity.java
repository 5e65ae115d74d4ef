package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A flag's release plan in one environment and where it stands. */
@Entity
@Table(name = "release_plan")
public class ReleasePlanEntity extends PanacheEntityBase {

    public static final String ACTIVE = "active";
    /** Active, but the andon gate is closed or cannot be read, so nothing advances. */
    public static final String HELD = "held";

    public static final String PAUSED = "paused";
    public static final String STOPPED = "stopped";
    public static final String COMPLETED = "completed";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "release_plan_seq")
    @SequenceGenerator(name = "release_plan_seq", sequenceName = "release_plan_seq", allocationSize = 50)
    public Long id;

    @Column(name = "flag_key", nullable = false, length = 200)
    public String flagKey;

    @Column(name = "environment_key", nullable = false, length = 100)
    public String environmentKey;

    /** The plan as the operator wrote it. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb", nullable = false)
    public Map<String, Object> definition;

    @Column(nullable = false, length = 12)
    public String status;

    @Column(nullable = false)
    public int phase;

    @Column(name = "phase_started_at", nullable = false)
    public Instant phaseStartedAt;

    @Column(name = "next_step_at")
    public Instant nextStepAt;

    @Column(name = "pause_reason")
    public String pauseReason;

    @Column(name = "gate_checked_at")
    public Instant gateCheckedAt;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public static Optional<ReleasePlanEntity> find(String flagKey, String environmentKey) {
        return find("flagKey = ?1 and environmentKey = ?2", flagKey, environmentKey)
                .firstResultOptional();
    }

    /** Plans whose next phase is due at {@code now}: active or held by the gate. */
    public static List<ReleasePlanEntity> due(Instant now) {
        return list("status in ?1 and nextStepAt <= ?2 order by nextStepAt", List.of(ACTIVE, HELD), now);
    }

    /** Whether the plan still moves on its own (active or waiting for the gate). */
    public boolean running() {
        return ACTIVE.equals(status) || HELD.equals(status);
    }
}
