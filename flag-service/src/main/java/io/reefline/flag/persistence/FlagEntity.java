package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A flag as stored: what it is and who owns it; how it is served lives per environment. */
@Entity
@Table(name = "flag")
public class FlagEntity extends PanacheEntityBase {

    @Id
    @Column(length = 200)
    public String key;

    @Column(nullable = false, length = 200)
    public String name;

    /** Markdown. */
    @Column(nullable = false, columnDefinition = "text")
    public String notes = "";

    /** boolean, string, number or object. */
    @Column(nullable = false, length = 10)
    public String type;

    /** The variants a new environment starts with; each environment then keeps its own. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> variants = new LinkedHashMap<>();

    /** The variant a new environment starts with. */
    @Column(name = "default_variant", nullable = false, length = 200)
    public String defaultVariant;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> metadata = new LinkedHashMap<>();

    @Column(nullable = false, length = 200)
    public String owner;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expected_removal")
    public LocalDate expectedRemoval;

    @Version
    @Column(nullable = false)
    public long version;

    public static List<FlagEntity> allByKey() {
        return list("order by key");
    }

    /** The opaque value of this flag's ETag. */
    public String etagValue() {
        return "flag-" + version;
    }
}
