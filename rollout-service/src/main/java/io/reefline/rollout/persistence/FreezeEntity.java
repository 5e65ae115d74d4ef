package io.reefline.rollout.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** A stored freeze: a one-off ({@code startsAt}, {@code endsAt}) or a weekly recurrence ({@code weekly}). */
@Entity
@Table(name = "upgrade_freeze")
public class FreezeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "freeze_seq")
    @SequenceGenerator(name = "freeze_seq", sequenceName = "freeze_seq", allocationSize = 50)
    public Long id;

    /** {@code GLOBAL}, {@code REEF} or {@code TENANT}. */
    @Column(nullable = false, length = 10)
    public String scope;

    @Column(length = 253)
    public String target;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;

    /** The canonical maintenance-window text of a weekly freeze. */
    @Column(length = 200)
    public String weekly;

    @Column(nullable = false, length = 2000)
    public String reason;

    @Column(name = "created_by", nullable = false, length = 200)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static List<FreezeEntity> inOrder() {
        return list("order by id");
    }
}
