package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;

/** The one stored ring policy, as its JSON document. */
@Entity
@Table(name = "ring_policy")
public class RingPolicyEntity extends PanacheEntityBase {

    /** There is one policy; its row always has this id. */
    public static final int THE_POLICY = 1;

    @Id
    public Integer id;

    @Column(nullable = false, columnDefinition = "text")
    public String document;

    @Column(name = "updated_by", nullable = false, length = 200)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(nullable = false)
    public long version;

    public static Optional<RingPolicyEntity> stored() {
        return findByIdOptional(THE_POLICY);
    }
}
