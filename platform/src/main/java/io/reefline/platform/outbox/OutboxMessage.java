package io.reefline.platform.outbox;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An event waiting in the producer's database until another service has acknowledged it. */
@Entity
@Table(name = "outbox_message")
public class OutboxMessage extends PanacheEntityBase {

    /** The event id; receivers store each id once. */
    @Id
    public UUID id;

    /** Name of the receiving service, resolved through {@code reefline.services.<name>}. */
    @Column(nullable = false, length = 40)
    public String destination;

    /** Path on the receiving service, e.g. {@code /api/events/incidents}. */
    @Column(nullable = false, length = 200)
    public String path;

    @Column(nullable = false, columnDefinition = "text")
    public String payload;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "last_error", length = 1000)
    public String lastError;
}
