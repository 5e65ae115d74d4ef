package io.reefline.rollout.analysis;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.rollout.domain.analysis.Sample;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The instances' signal samples in PostgreSQL: one row per instance and reporting window. */
@ApplicationScoped
public class SignalStore {

    private final EntityManager db;

    SignalStore(EntityManager db) {
        this.db = db;
    }

    /** Stores one window; false when this instance's window starting at the same time is already stored. */
    public boolean store(Sample sample, Instant receivedAt) {
        return QuarkusTransaction.requiringNew()
                .call(() -> db.createNativeQuery("""
                insert into instance_signal (instance_id, window_from, window_to, reef, version, requests, errors,
                    latency_ms, health_checks, health_failures, restarts, received_at)
                values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                on conflict (instance_id, window_from) do nothing""")
                                .setParameter(1, sample.instanceId())
                                .setParameter(2, Timestamp.from(sample.from()))
                                .setParameter(3, Timestamp.from(sample.to()))
                                .setParameter(4, sample.reef())
                                .setParameter(5, sample.version())
                                .setParameter(6, sample.requests())
                                .setParameter(7, sample.errors())
                                .setParameter(8, sample.latencyMs())
                                .setParameter(9, sample.healthChecks())
                                .setParameter(10, sample.healthFailures())
                                .setParameter(11, sample.restarts())
                                .setParameter(12, Timestamp.from(receivedAt))
                                .executeUpdate()
                        > 0);
    }

    /** The windows of these reefs' instances that start in [{@code from}, {@code to}). */
    public List<Sample> inReefs(Collection<String> reefs, Instant from, Instant to) {
        if (reefs.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew()
                .call(() -> rows(
                        db.createNativeQuery(COLUMNS + " where reef in (?1) and window_from >= ?2 and window_from < ?3")
                                .setParameter(1, List.copyOf(reefs))
                                .setParameter(2, Timestamp.from(from))
                                .setParameter(3, Timestamp.from(to))
                                .getResultList()));
    }

    /** One instance's latest windows, newest first. */
    public List<Sample> ofInstance(String instanceId, int offset, int limit) {
        return QuarkusTransaction.requiringNew()
                .call(() -> rows(db.createNativeQuery(
                                COLUMNS + " where instance_id = ?1 order by window_from desc limit ?2 offset ?3")
                        .setParameter(1, instanceId)
                        .setParameter(2, limit)
                        .setParameter(3, offset)
                        .getResultList()));
    }

    public long countOfInstance(String instanceId) {
        return QuarkusTransaction.requiringNew()
                .call(() -> ((Number)
                                db.createNativeQuery("select count(*) from instance_signal where instance_id = ?1")
                                        .setParameter(1, instanceId)
                                        .getSingleResult())
                        .longValue());
    }

    /** Deletes windows that ended before {@code before}; returns how many. */
    public int deleteOlderThan(Instant before) {
        return QuarkusTransaction.requiringNew()
                .call(() -> db.createNativeQuery("delete from instance_signal where window_from < ?1")
                        .setParameter(1, Timestamp.from(before))
                        .executeUpdate());
    }

    private static final String COLUMNS =
            "select instance_id, reef, version, window_from, window_to, requests, errors, latency_ms, health_checks,"
                    + " health_failures, restarts from instance_signal";

    private static List<Sample> rows(List<?> result) {
        List<Sample> samples = new ArrayList<>(result.size());
        for (Object row : result) {
            Object[] c = (Object[]) row;
            samples.add(new Sample(
                    (String) c[0],
                    (String) c[1],
                    (String) c[2],
                    instant(c[3]),
                    instant(c[4]),
                    c[5] == null ? null : ((Number) c[5]).longValue(),
                    c[6] == null ? null : ((Number) c[6]).longValue(),
                    c[7] == null ? null : ((Number) c[7]).doubleValue(),
                    ((Number) c[8]).intValue(),
                    ((Number) c[9]).intValue(),
                    ((Number) c[10]).intValue()));
        }
        return samples;
    }

    /** A timestamptz column's value as the JDBC driver hands it over. */
    public static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
