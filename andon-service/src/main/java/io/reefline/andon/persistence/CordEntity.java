package io.reefline.andon.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.reefline.andon.domain.AndonGate;
import io.reefline.andon.domain.Category;
import io.reefline.andon.domain.CordState;
import io.reefline.andon.domain.Scope;
import io.reefline.andon.domain.Severity;
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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A pulled andon cord as stored. */
@Entity
@Table(name = "cord")
public class CordEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "cord_seq")
    @SequenceGenerator(name = "cord_seq", sequenceName = "cord_seq", allocationSize = 50)
    public Long id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    public CordState state;

    @Column(nullable = false, length = 2000)
    public String reason;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 40)
    public Category category;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 5)
    public Severity severity;

    @Column(nullable = false, length = 200)
    public String scope;

    @Column(name = "suspected_release", length = 100)
    public String suspectedRelease;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<String> links = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "allow_rings", nullable = false, columnDefinition = "jsonb")
    public List<String> allowRings = new ArrayList<>();

    @Column(name = "pulled_by", nullable = false, length = 200)
    public String pulledBy;

    @Column(name = "pulled_at", nullable = false)
    public Instant pulledAt;

    @Column(name = "resolved_by", length = 200)
    public String resolvedBy;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(length = 2000)
    public String resolution;

    @Column(name = "fix_version", length = 100)
    public String fixVersion;

    @Column(name = "closed_by", length = 200)
    public String closedBy;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** The {@code Idempotency-Key} of the pull that opened this cord, if it carried one; unique. */
    @Column(name = "pull_key", length = 100)
    public String pullKey;

    /** The reef whose cell took the pull and forwarded it to the hub; null for a pull made at the hub itself. */
    @Column(name = "pulled_in_reef", length = 100)
    public String pulledInReef;

    /** When the release first reached a customer, as an automatic pull said; null when unknown. */
    @Column(name = "impact_started_at")
    public Instant impactStartedAt;

    /** When the problem was detected: the pull time unless the pull said earlier. */
    @Column(name = "detected_at", nullable = false)
    public Instant detectedAt;

    /** The ring that detected the problem (an automatic pull); null for a person's pull. */
    @Column(length = 40)
    public String ring;

    /** The evidence the pull carried: a JSON object, as sent; null when none. */
    @Column(columnDefinition = "text")
    public String evidence;

    @Version
    @Column(nullable = false)
    public long version;

    public static List<CordEntity> inState(CordState state) {
        return list("state = ?1 order by id desc", state);
    }

    /** The opaque value of this cord's ETag: it changes with every transition. */
    public String etagValue() {
        return id + "-" + version;
    }

    /** The cord pulled with {@code key}, if any. */
    public static Optional<CordEntity> byPullKey(String key) {
        return find("pullKey", key).firstResultOptional();
    }

    public static long countInState(CordState state) {
        return count("state", state);
    }

    /** The gate's view of this cord. */
    public AndonGate.OpenCord asOpenCord() {
        Scope parsed =
                Scope.parse(scope).orElseThrow(() -> new IllegalStateException("Stored scope is invalid: " + scope));
        return new AndonGate.OpenCord(id, parsed, new LinkedHashSet<>(allowRings));
    }
}
