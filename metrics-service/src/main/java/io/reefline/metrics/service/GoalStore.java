package io.reefline.metrics.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.metrics.domain.Goals;
import io.reefline.metrics.rest.GoalsDocument;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Tuple;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.List;
import java.util.OptionalInt;

/** The goals operators set, versioned so that a write based on an old read is refused instead of overwriting. */
@ApplicationScoped
public class GoalStore {

    /** The goals with the version their ETag names; version 0 is the built-in default nobody has changed yet. */
    public record VersionedGoals(GoalsDocument document, int version) {
        public Goals goals() {
            return document.toGoals();
        }

        public String etag() {
            return "goals-" + version;
        }
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;

    GoalStore(EntityManager em, ObjectMapper json, Clock clock) {
        this.em = em;
        this.json = json;
        this.clock = clock;
    }

    @Transactional
    public VersionedGoals current() {
        List<Tuple> rows = em.createNativeQuery("select goals::text, version from goal_set where id = 1", Tuple.class)
                .getResultList();
        if (rows.isEmpty()) {
            return new VersionedGoals(GoalsDocument.of(Goals.DEFAULT), 0);
        }
        try {
            return new VersionedGoals(
                    json.readValue(rows.get(0).get(0, String.class), GoalsDocument.class),
                    ((Number) rows.get(0).get(1)).intValue());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored goals are unreadable", e);
        }
    }

    /**
     * Replaces the goals. {@code expectedVersion} (from {@code If-Match}) must be the current version when given.
     */
    @Transactional
    public VersionedGoals replace(GoalsDocument document, OptionalInt expectedVersion, String by) {
        VersionedGoals current = current();
        if (expectedVersion.isPresent() && expectedVersion.getAsInt() != current.version()) {
            throw ProblemException.stale("The goals", "\"" + current.etag() + "\"");
        }
        int updated = em.createNativeQuery("""
                        insert into goal_set (id, goals, version, updated_by, updated_at)
                        values (1, cast(:goals as jsonb), 1, :by, :at)
                        on conflict (id) do update set goals = excluded.goals, version = goal_set.version + 1,
                            updated_by = excluded.updated_by, updated_at = excluded.updated_at
                        where goal_set.version = :seen
                        """)
                .setParameter("goals", write(document))
                .setParameter("by", by)
                .setParameter("at", clock.instant())
                .setParameter("seen", current.version())
                .executeUpdate();
        if (updated == 0) {
            // Someone else wrote between our read and our write.
            throw ProblemException.stale("The goals", "\"" + current().etag() + "\"");
        }
        return new VersionedGoals(document, current.version() + 1);
    }

    private String write(GoalsDocument document) {
        try {
            return json.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
