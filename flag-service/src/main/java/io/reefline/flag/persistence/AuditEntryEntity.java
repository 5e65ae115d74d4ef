package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.reefline.platform.rest.PageRequest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One change of a flag: who, when, what, and the flag (or its environment configuration) before and after. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_entry_seq")
    @SequenceGenerator(name = "audit_entry_seq", sequenceName = "audit_entry_seq", allocationSize = 50)
    public Long id;

    @Column(name = "flag_key", nullable = false, length = 200)
    public String flagKey;

    /** Null for changes of the flag itself rather than of one environment's configuration. */
    @Column(name = "environment_key", length = 100)
    public String environmentKey;

    @Column(nullable = false, length = 200)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false, length = 40)
    public String action;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> before;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(columnDefinition = "jsonb")
    public Map<String, Object> after;

    /** The flag's history, newest first. */
    public static List<AuditEntryEntity> ofFlag(String flagKey, PageRequest paging) {
        return find("flagKey = ?1 order by id desc", flagKey)
                .range(paging.firstResult(), paging.firstResult() + paging.size() - 1)
                .list();
    }

    public static long countOfFlag(String flagKey) {
        return count("flagKey", flagKey);
    }
}
