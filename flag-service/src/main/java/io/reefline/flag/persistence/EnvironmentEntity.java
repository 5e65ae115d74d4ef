package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An environment flags are configured in, e.g. staging, production or cloud-customers. */
@Entity
@Table(name = "environment")
public class EnvironmentEntity extends PanacheEntityBase {

    @Id
    @Column(length = 100)
    public String key;

    @Column(nullable = false, length = 200)
    public String name;

    /** flagd's {@code $evaluators}: shared rules that raw JsonLogic targeting here may {@code $ref}. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> evaluators = new LinkedHashMap<>();

    /** flagd's set metadata, which each flag's metadata overrides. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> metadata = new LinkedHashMap<>();

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Version
    @Column(nullable = false)
    public long version;

    /** The environment's ETag value: its version, which moves with every rename or flagd import. */
    public String etagValue() {
        return "env-" + version;
    }

    public static List<EnvironmentEntity> allByKey() {
        return list("order by key");
    }
}
