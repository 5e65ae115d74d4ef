package io.reefline.andon.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.reefline.andon.domain.CellSilence;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.hibernate.query.NativeQuery;

/** The last heartbeat of one replica of a reef's cell, as stored (one row per reef and replica). */
@Entity
@Table(name = "cell_heartbeat")
public class CellHeartbeatEntity extends PanacheEntityBase {

    /** A reef and one replica of its cell. */
    @Embeddable
    public static class Key implements Serializable {

        @Column(nullable = false, length = 100)
        public String reef;

        @Column(nullable = false, length = 100)
        public String replica;

        public Key() {}

        public Key(String reef, String replica) {
            this.reef = reef;
            this.replica = replica;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && reef.equals(key.reef) && replica.equals(key.replica);
        }

        @Override
        public int hashCode() {
            return Objects.hash(reef, replica);
        }
    }

    @EmbeddedId
    public Key key;

    @Column(name = "last_heard_at", nullable = false)
    public Instant lastHeardAt;

    @Column(name = "queued_cords", nullable = false)
    public int queuedCords;

    @Column(name = "oldest_queued_at")
    public Instant oldestQueuedAt;

    @Column(name = "sent_at", nullable = false)
    public Instant sentAt;

    @Column(name = "reported_by", nullable = false, length = 200)
    public String reportedBy;

    /**
     * Stores the heartbeat of {@code reef}'s replica, replacing the one before unless that one was sent later (by the
     * replica's clock): a late "nothing waits" must not overwrite a newer "cords wait". One statement, so two hub
     * replicas taking heartbeats never collide on the first insert.
     */
    public static void record(
            String reef,
            String replica,
            Instant heardAt,
            int queuedCords,
            Instant oldestQueuedAt,
            Instant sentAt,
            String reportedBy) {
        getEntityManager()
                .createNativeQuery("insert into cell_heartbeat"
                        + " (reef, replica, last_heard_at, queued_cords, oldest_queued_at, sent_at, reported_by)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                        + " on conflict (reef, replica) do update set last_heard_at = excluded.last_heard_at,"
                        + " queued_cords = excluded.queued_cords, oldest_queued_at = excluded.oldest_queued_at,"
                        + " sent_at = excluded.sent_at, reported_by = excluded.reported_by"
                        // A heartbeat that the network delayed past a newer one of the same replica says nothing new.
                        + " where cell_heartbeat.sent_at <= excluded.sent_at")
                .unwrap(NativeQuery.class)
                .setParameter(1, reef)
                .setParameter(2, replica)
                .setParameter(3, heardAt, Instant.class)
                .setParameter(4, queuedCords)
                // Typed, so that a null (no cord waiting) is bound as a timestamptz.
                .setParameter(5, oldestQueuedAt, Instant.class)
                .setParameter(6, sentAt, Instant.class)
                .setParameter(7, reportedBy)
                .executeUpdate();
    }

    /** Every replica of every cell, by reef and replica. */
    public static List<CellHeartbeatEntity> all() {
        return CellHeartbeatEntity.<CellHeartbeatEntity>find("order by key.reef, key.replica")
                .list();
    }

    public CellSilence.Heartbeat asHeartbeat() {
        return new CellSilence.Heartbeat(key.reef, key.replica, lastHeardAt, queuedCords, oldestQueuedAt);
    }
}
