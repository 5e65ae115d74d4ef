package io.reefline.flag.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** An SDK key as stored: only its SHA-256 and a short prefix; the key itself is shown once and never kept. */
@Entity
@Table(name = "sdk_key")
public class SdkKeyEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sdk_key_seq")
    @SequenceGenerator(name = "sdk_key_seq", sequenceName = "sdk_key_seq", allocationSize = 50)
    public Long id;

    @Column(name = "environment_key", nullable = false, length = 100)
    public String environmentKey;

    @Column(nullable = false, length = 20)
    public String prefix;

    /** Hex SHA-256 of the key. */
    @Column(nullable = false, length = 64, unique = true)
    public String hash;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
