package io.reefline.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.reefline.platform.outbox.OutboxMessage;
import io.reefline.rollout.domain.upgrade.Upgrade;
import io.reefline.rollout.domain.upgrade.UpgradeState;
import io.reefline.rollout.persistence.UpgradeEntity;
import io.reefline.rollout.upgrade.JpaUpgradeStore;
import io.reefline.rollout.upgrade.UpgradeLeadership;
import io.reefline.rollout.upgrade.reconcile.UpgradeEvents;
import io.reefline.rollout.upgrade.reconcile.UpgradeStore.FencedOut;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade store in PostgreSQL: every write is a compare-and-set on state and version, made only in the writer's
 * leadership term, and events carry ids derived from the upgrade and the transition.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class FencedTransitionsTest {

    static final Instant NOW = Instant.parse("2026-03-02T08:00:00Z");

    @Inject
    JpaUpgradeStore store;

    @Inject
    UpgradeLeadership leadership;

    long term;

    @BeforeEach
    void lead() {
        QuarkusTransaction.requiringNew().run(() -> UpgradeEntity.delete("instanceId like 'fence-%'"));
        term = leadership.acquire().orElseThrow();
    }

    @AfterEach
    void release() {
        leadership.release();
    }

    private Upgrade planned(String instance) {
        return store.insertPlanned(
                        Upgrade.planned(
                                instance, "local", "2026.3.1", "Staff", "p:2026.3.1", "p:2026.3.0", NOW, "test"),
                        10,
                        term)
                .orElseThrow();
    }

    private static Upgrade started(Upgrade from) {
        Upgrade next = from.copy();
        next.state = UpgradeState.STARTED;
        next.startedAt = NOW;
        return next;
    }

    private Optional<Upgrade> planIn(String reef, String instance, int limit, long inTerm) {
        return store.insertPlanned(
                Upgrade.planned(instance, reef, "2026.3.1", "Staff", "p:2026.3.1", "p:2026.3.0", NOW, "test"),
                limit,
                inTerm);
    }

    @Test
    void theInFlightLimitPerReefIsCountedInTheDatabaseAcrossLeaderChanges() {
        assertTrue(planIn("fence-reef", "fence-limit-1", 2, term).isPresent());
        Upgrade second = planIn("fence-reef", "fence-limit-2", 2, term).orElseThrow();
        assertEquals(Optional.empty(), planIn("fence-reef", "fence-limit-3", 2, term), "a third is over the limit");
        assertTrue(planIn("fence-other-reef", "fence-limit-4", 2, term).isPresent(), "the limit is per reef");

        // A new leader (or this one after a restart) counts what is stored, not what it remembers.
        leadership.release();
        term = leadership.acquire().orElseThrow();
        assertEquals(Optional.empty(), planIn("fence-reef", "fence-limit-3", 2, term), "still full after a new term");

        Upgrade cancelled = second.copy();
        cancelled.state = UpgradeState.CANCELLED;
        store.transition(second, cancelled, List.of(), term).orElseThrow();
        assertTrue(planIn("fence-reef", "fence-limit-3", 2, term).isPresent(), "a finished upgrade frees its slot");
    }

    @Test
    void aStaleCopyNeverOverwritesTheStoredUpgrade() {
        Upgrade planned = planned("fence-a");
        Optional<Upgrade> moved = store.transition(planned, started(planned), List.of(), term);
        assertTrue(moved.isPresent());
        assertEquals(planned.version + 1, moved.get().version);

        Upgrade cancelled = planned.copy();
        cancelled.state = UpgradeState.CANCELLED;
        assertEquals(
                Optional.empty(),
                store.transition(planned, cancelled, List.of(), term),
                "a second actor holding the old copy loses the compare-and-set");
        assertEquals(UpgradeState.STARTED, stored("fence-a").state);
    }

    @Test
    void aTerminalStateNeverRegresses() {
        Upgrade planned = planned("fence-b");
        Upgrade cancelled = planned.copy();
        cancelled.state = UpgradeState.CANCELLED;
        Upgrade done = store.transition(planned, cancelled, List.of(), term).orElseThrow();
        assertThrows(IllegalStateException.class, () -> store.transition(done, started(done), List.of(), term));
        assertEquals(UpgradeState.CANCELLED, stored("fence-b").state);
    }

    @Test
    void aReplicaWhoseTermEndedCannotMoveAnUpgradeOrPlanOne() {
        Upgrade planned = planned("fence-c");
        // Another replica took the lock after this one's session was lost: it starts a new term.
        QuarkusTransaction.requiringNew()
                .run(() -> UpgradeEntity.getEntityManager()
                        .createNativeQuery("update upgrade_leader set term = term + 1 where id = 1")
                        .executeUpdate());
        assertThrows(FencedOut.class, () -> store.transition(planned, started(planned), List.of(), term));
        assertThrows(
                FencedOut.class,
                () -> store.insertPlanned(
                        Upgrade.planned("fence-d", "local", "2026.3.1", "Staff", "p:2026.3.1", "p:2026.3.0", NOW, "x"),
                        10,
                        term));
        assertEquals(UpgradeState.PLANNED, stored("fence-c").state, "unchanged");
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> UpgradeEntity.count("instanceId", "fence-d")));

        leadership.lost(); // the scheduler gives the lead up when a write finds its term over
        long next = leadership.acquire().orElseThrow();
        assertTrue(next > term + 1, "taking the lock again starts a newer term");
    }

    @Test
    void eventsGetIdsFromTheUpgradeAndTheTransition() {
        Upgrade planned = planned("fence-e");
        Upgrade started =
                store.transition(planned, started(planned), List.of(), term).orElseThrow();
        Upgrade failed = started.copy();
        failed.state = UpgradeState.FAILED;
        failed.failedAt = NOW.plusSeconds(60);
        failed.reason = "rollout failed";
        UpgradeEvents events = new UpgradeEvents("SEV-2", Optional.empty());
        store.transition(started, failed, events.failed(failed), term).orElseThrow();
        assertEquals(
                List.of(UpgradeEvents.id(failed, "deployment"), UpgradeEvents.cordId(failed)).stream()
                        .sorted()
                        .toList(),
                QuarkusTransaction.requiringNew()
                        .call(() -> OutboxMessage.<OutboxMessage>list(
                                        "id in ?1",
                                        List.of(UpgradeEvents.id(failed, "deployment"), UpgradeEvents.cordId(failed)))
                                .stream()
                                .map(m -> m.id)
                                .sorted()
                                .toList()));
        assertEquals(UpgradeEvents.id(failed, "deployment"), UpgradeEvents.id(failed.copy(), "deployment"));
    }

    private static UpgradeEntity stored(String instance) {
        return QuarkusTransaction.requiringNew()
                .call(() -> UpgradeEntity.<UpgradeEntity>find("instanceId", instance)
                        .firstResult());
    }
}
