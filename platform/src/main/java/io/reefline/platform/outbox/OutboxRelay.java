package io.reefline.platform.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.reefline.platform.backoff.Backoff;
import io.reefline.platform.config.ReeflineConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Delivers outbox messages until each is acknowledged, with exponential backoff per message.
 *
 * <p>Messages are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, so several replicas never send the same
 * message at the same time, and no database transaction stays open during a network call. A relay that dies
 * mid-delivery leaves the claim to expire; the message is then sent again, which receivers absorb by event id. When
 * one message to a destination fails, later messages to it wait for the next pass, keeping their order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final EntityManager em;
    private final OutboxDelivery delivery;
    private final ReeflineConfig.Outbox config;
    private final Clock clock;

    OutboxRelay(EntityManager em, OutboxDelivery delivery, ReeflineConfig config, Clock clock, MeterRegistry registry) {
        this.em = em;
        this.delivery = delivery;
        this.config = config.outbox();
        this.clock = clock;
        registry.gauge("reefline.outbox.pending", this, OutboxRelay::pendingCountQuietly);
    }

    @Scheduled(
            identity = "outbox-relay",
            every = "${reefline.outbox.relay-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRelay() {
        relayDue();
    }

    /** Sends every message that is due now; returns how many were acknowledged. */
    public int relayDue() {
        List<OutboxMessage> claimed = QuarkusTransaction.requiringNew().call(this::claimDue);
        int delivered = 0;
        Set<String> failedDestinations = new HashSet<>();
        for (OutboxMessage message : claimed) {
            if (failedDestinations.contains(message.destination)) {
                release(message.id);
                continue;
            }
            OutboxDelivery.Result result = delivery.deliver(message);
            if (result.acknowledged()) {
                markDelivered(message.id);
                delivered++;
            } else {
                failedDestinations.add(message.destination);
                markFailed(message.id, message.attempts + 1, result.error());
            }
        }
        return delivered;
    }

    @SuppressWarnings("unchecked")
    private List<OutboxMessage> claimDue() {
        Instant now = clock.instant();
        List<OutboxMessage> due = em.createNativeQuery(
                        "select * from outbox_message where delivered_at is null and next_attempt_at <= :now"
                                + " order by created_at limit :limit for update skip locked",
                        OutboxMessage.class)
                .setParameter("now", now)
                .setParameter("limit", config.batchSize())
                .getResultList();
        Instant leaseEnd = now.plus(config.claimLease());
        for (OutboxMessage message : due) {
            message.nextAttemptAt = leaseEnd;
        }
        em.flush();
        due.forEach(em::detach);
        return due;
    }

    private void markDelivered(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxMessage message = em.find(OutboxMessage.class, id);
            message.deliveredAt = clock.instant();
            message.attempts++;
            message.lastError = null;
        });
    }

    private void markFailed(UUID id, int attempts, String error) {
        Duration backoff = backoff(attempts);
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxMessage message = em.find(OutboxMessage.class, id);
            message.attempts = attempts;
            message.nextAttemptAt = clock.instant().plus(backoff);
            message.lastError = truncate(error, 1000);
        });
        LOG.warnf(
                "Outbox message %s not delivered (attempt %d): %s; next try in %d s",
                id, attempts, error, backoff.toSeconds());
    }

    private void release(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            OutboxMessage message = em.find(OutboxMessage.class, id);
            message.nextAttemptAt = clock.instant();
        });
    }

    /** {@code initialBackoff} doubling per failed attempt, capped at {@code maxBackoff}. */
    Duration backoff(int attempts) {
        return Backoff.doubling(config.initialBackoff(), config.maxBackoff()).after(attempts);
    }

    public long pendingCount() {
        return QuarkusTransaction.joiningExisting()
                .call(() -> (Long) em.createQuery("select count(m) from OutboxMessage m where m.deliveredAt is null")
                        .getSingleResult());
    }

    private double pendingCountQuietly() {
        try {
            return pendingCount();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String truncate(String text, int max) {
        if (text == null) {
            return null;
        }
        return text.length() <= max ? text : text.substring(0, max);
    }
}
