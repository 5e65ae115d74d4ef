package io.reefline.rollout.upgrade;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.reefline.platform.outbox.Outbox;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.service.UpgradeRecords;
import io.reefline.rollout.upgrade.reconcile.OutgoingEvent;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The upgrades in PostgreSQL. Each write is one transaction that first checks the leadership term (reading the term row
 * with a share lock, so a replica taking over waits for the write to commit or roll back), then compares the stored
 * state and version, then writes the change and its outbox events.
 */
@ApplicationScoped
public class JpaUpgradeStore implements UpgradeStore {

    private static final Logger LOG = Logger.getLogger(JpaUpgradeStore.class);

    private final Outbox outbox;
    private final UpgradeRecords records;

    JpaUpgradeStore(Outbox outbox, UpgradeRecords records) {
        this.outbox = outbox;
        this.records = records;
    }

    @Override
    public List<Upgrade> running() {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.running().stream()
                        .map(UpgradeEntity::toUpgrade)
                        .toList());
    }

    @Override
    public Optional<Upgrade> insertPlanned(Upgrade planned, int inFlightLimit, long fence) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                checkTerm(fence);
                long inReef = UpgradeEntity.count("reef = ?1 and state in ?2", planned.reef, UpgradeState.RUNNING);
                if (inReef >= inFlightLimit) {
                    return Optional.<Upgrade>empty();
                }
                UpgradeEntity entity = new UpgradeEntity();
                entity.takeFrom(planned);
                entity.persistAndFlush();
                return Optional.of(entity.toUpgrade());
            });
        } catch (PersistenceException e) {
            // Already upgraded (or upgrading) for this release: the unique indexes keep anyone from doing it twice.
            LOG.debugf("Not planning %s again: %s", planned.instanceId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<Upgrade> transition(Upgrade before, Upgrade after, List<OutgoingEvent> events, long fence) {
        if (!before.state.mayBecome(after.state)) {
            throw new IllegalStateException("An upgrade never moves from " + before.state + " to " + after.state);
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            checkTerm(fence);
            UpgradeEntity stored = UpgradeEntity.findById(before.id, LockModeType.PESSIMISTIC_WRITE);
            if (stored == null || stored.version != before.version || stored.state != before.state) {
                LOG.debugf("%s was moved by someone else; leaving it", before);
                return Optional.<Upgrade>empty();
            }
            stored.takeFrom(after);
            for (OutgoingEvent event : events) {
                outbox.enqueue(event.destination(), event.path(), event.id(), event.body());
            }
            UpgradeEntity.getEntityManager().flush();
            return Optional.of(stored.toUpgrade());
        });
    }

    @Override
    public ReleaseRecords records(String releaseVersion) {
        UpgradeRecords.Snapshot snapshot = records.of(releaseVersion);
        return new ReleaseRecords(snapshot.inFlight(), snapshot.completedAt(), snapshot.failed());
    }

    @Override
    public boolean cordPending(String releaseVersion) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> cords =
                    UpgradeEntity.<UpgradeEntity>list("releaseVersion = ?1 and cordEventId is not null", releaseVersion)
                            .stream()
                            .map(u -> u.cordEventId)
                            .toList();
            return outbox.anyUndelivered(cords);
        });
    }

    @Override
    public PilotCount pilot(String releaseVersion) {
        return QuarkusTransaction.requiringNew()
                .call(() -> new PilotCount(
                        UpgradeEntity.count(
                                "releaseVersion = ?1 and state = ?2", releaseVersion, UpgradeState.SUCCEEDED),
                        UpgradeEntity.<UpgradeEntity>list(
                                        "releaseVersion = ?1 and state in ?2", releaseVersion, UpgradeState.RUNNING)
                                .stream()
                                .map(u -> u.reef)
                                .toList()));
    }

    /** Throws {@link FencedOut} unless {@code fence} is the current term; holds a share lock on the term row. */
    static void checkTerm(long fence) {
        Object term = UpgradeEntity.getEntityManager()
                .createNativeQuery("select term from upgrade_leader where id = 1 for share")
                .getSingleResult();
        long current = ((Number) term).longValue();
        if (current != fence) {
            throw new FencedOut("this replica's term " + fence + " has ended; the current term is " + current);
        }
    }
}
