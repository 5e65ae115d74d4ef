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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** How one flag is served in one environment. */
@Entity
@Table(name = "flag_environment")
public class FlagEnvironmentEntity extends PanacheEntityBase {

    public static final String NO_TARGETING = "none";
    public static final String STRUCTURED = "structured";
    public static final String JSON_LOGIC = "json-logic";

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "flag_environment_seq")
    @SequenceGenerator(name = "flag_environment_seq", sequenceName = "flag_environment_seq", allocationSize = 50)
    public Long id;

    @Column(name = "flag_key", nullable = false, length = 200)
    public String flagKey;

    @Column(name = "environment_key", nullable = false, length = 100)
    public String environmentKey;

    @Column(nullable = false)
    public boolean enabled;

    /**
     * This environment's variants (name to value, in definition order). Each environment has its own, as each flagd
     * file does; a new environment starts with the flag's.
     */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> variants = new LinkedHashMap<>();

    /** The flag's metadata as this environment's flagd file gave it; null when the flag's own metadata applies. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> metadata;

    /**
     * False only for the disabled placeholder a flagd import into another environment creates here: left out of this
     * environment's flagd export until it is configured here (by an import naming it or any write).
     */
    @Column(nullable = false)
    public boolean declared = true;

    /** What flagd would load but is probably a mistake, found when this configuration was last written. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<Map<String, String>> warnings = new ArrayList<>();

    /** Null when the caller's code default applies (imported flagd flags may have no default variant). */
    @Column(name = "default_variant", length = 200)
    public String defaultVariant;

    /** {@link #NO_TARGETING}, {@link #STRUCTURED} or {@link #JSON_LOGIC}. */
    @Column(name = "targeting_kind", nullable = false, length = 12)
    public String targetingKind = NO_TARGETING;

    /** The structured targeting form, or raw JsonLogic; null without targeting. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> targeting;

    @Column(name = "uniform_since")
    public Instant uniformSince;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public static Optional<FlagEnvironmentEntity> find(String flagKey, String environmentKey) {
        return find("flagKey = ?1 and environmentKey = ?2", flagKey, environmentKey)
                .firstResultOptional();
    }

    public static List<FlagEnvironmentEntity> ofFlag(String flagKey) {
        return list("flagKey = ?1 order by environmentKey", flagKey);
    }

    public static List<FlagEnvironmentEntity> ofEnvironment(String environmentKey) {
        return list("environmentKey = ?1 order by flagKey", environmentKey);
    }

    /** Whether every subject gets the same variant here: disabled, or enabled without targeting. */
    public boolean uniform() {
        return !enabled || NO_TARGETING.equals(targetingKind);
    }

    /** The opaque value of this configuration's ETag. */
    public String etagValue() {
        return "env-" + id + "-" + version;
    }
}
