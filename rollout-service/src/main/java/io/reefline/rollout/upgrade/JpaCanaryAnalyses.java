package io.reefline.rollout.upgrade;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.platform.outbox.Outbox;
import io.reefline.rollout.analysis.SignalStore;
import io.reefline.rollout.domain.analysis.Outcome;
import io.reefline.rollout.domain.analysis.Sample;
import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.upgrade.reconcile.CanaryAnalyses;
import io.reefline.rollout.upgrade.reconcile.OutgoingEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Canary analysis' data in PostgreSQL: the signal windows, the release's upgrades, the verdicts. */
@ApplicationScoped
public class JpaCanaryAnalyses implements CanaryAnalyses {

    private final EntityManager db;
    private final SignalStore signals;
    private final Outbox outbox;
    private final ObjectMapper json;

    JpaCanaryAnalyses(EntityManager db, SignalStore signals, Outbox outbox, ObjectMapper json) {
        this.db = db;
        this.signals = signals;
        this.outbox = outbox;
        this.json = json;
    }

    @Override
    public List<Upgrade> upgradesOf(String releaseVersion) {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>list("releaseVersion", releaseVersion).stream()
                        .map(UpgradeEntity::toUpgrade)
                        .toList());
    }

    @Override
    public List<Sample> samples(Collection<String> reefs, Instant from, Instant to) {
        return signals.inReefs(reefs, from, to);
    }

    @Override
    public Optional<StoredVerdict> latest(String releaseVersion, String ring) {
        List<StoredVerdict> found = verdicts(releaseVersion, ring, 1);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** The latest verdicts of a release (every ring when {@code ring} is null), newest first. */
    public List<StoredVerdict> verdicts(String releaseVersion, String ring, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = db.createNativeQuery("select release_version, ring, outcome, dry_run, taken_at, summary, acted"
                            + " from canary_verdict where release_version = ?1"
                            + (ring == null ? "" : " and ring = ?3")
                            + " order by taken_at desc, id desc limit ?2")
                    .setParameter(1, releaseVersion)
                    .setParameter(2, limit);
            if (ring != null) {
                query.setParameter(3, ring);
            }
            List<?> rows = query.getResultList();
            List<StoredVerdict> verdicts = new ArrayList<>();
            for (Object row : rows) {
                Object[] c = (Object[]) row;
                verdicts.add(new StoredVerdict(
                        (String) c[0],
                        (String) c[1],
                        Outcome.valueOf((String) c[2]),
                        (Boolean) c[3],
                        SignalStore.instant(c[4]),
                        (String) c[5],
                        (String) c[6]));
            }
            return verdicts;
        });
    }

    /** The evidence (the verdict's numbers, as JSON) of the latest verdict on a release's ring. */
    public Optional<String> latestEvidence(String releaseVersion, String ring) {
        return QuarkusTransaction.requiringNew()
                .call(() -> db
                        .createNativeQuery(
                                "select evidence from canary_verdict where release_version = ?1 and ring = ?2"
                                        + " order by taken_at desc, id desc limit 1")
                        .setParameter(1, releaseVersion)
                        .setParameter(2, ring)
                        .getResultList()
                        .stream()
                        .map(String.class::cast)
                        .findFirst());
    }

    @Override
    public void record(
            String releaseVersion,
            String ring,
            Verdict verdict,
            boolean dryRun,
            String acted,
            List<OutgoingEvent> events,
            Instant takenAt,
            long fence) {
        String evidence;
        try {
            evidence = json.writeValueAsString(verdict);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a verdict is always writable as JSON", e);
        }
        QuarkusTransaction.requiringNew().run(() -> {
            JpaUpgradeStore.checkTerm(fence);
            db.createNativeQuery("""
                    insert into canary_verdict (release_version, ring, outcome, dry_run, window_from, window_to,
                        taken_at, summary, acted, evidence)
                    values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)""")
                    .setParameter(1, releaseVersion)
                    .setParameter(2, ring)
                    .setParameter(3, verdict.outcome().name())
                    .setParameter(4, dryRun)
                    .setParameter(5, verdict.from() == null ? null : Timestamp.from(verdict.from()))
                    .setParameter(6, verdict.to() == null ? null : Timestamp.from(verdict.to()))
                    .setParameter(7, Timestamp.from(takenAt))
                    .setParameter(8, cut(verdict.summary(), 2000))
                    .setParameter(9, cut(acted, 500))
                    .setParameter(10, evidence)
                    .executeUpdate();
            for (OutgoingEvent event : events) {
                outbox.enqueue(event.destination(), event.path(), event.id(), event.body());
            }
        });
    }

    private static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 3) + "...";
    }
}
