package io.reefline.andon.jobs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.reefline.andon.config.AndonConfig;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.andon.service.WebhookSignature;
import io.reefline.platform.backoff.Backoff;
import io.reefline.platform.net.OutgoingHttp;
import io.reefline.platform.net.RefusedDestination;
import io.vertx.core.http.HttpMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sends due webhook deliveries, all of a batch in parallel, each bounded by a timeout, and retries failures with
 * exponential backoff until {@code andon.webhooks.max-attempts}.
 *
 * <p>Deliveries are claimed with {@code FOR UPDATE SKIP LOCKED} and a lease, committed before any network call, so
 * several replicas never send the same delivery at once and no transaction or row lock waits on a receiver. A replica
 * that dies mid-send leaves the lease to expire and the delivery is sent again: receivers may see a message twice
 * and can tell by {@code X-Reefline-Delivery}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    static final String DELIVERY_HEADER = "X-Reefline-Delivery";
    static final String EVENT_HEADER = "X-Reefline-Event";

    private record Outcome(Integer statusCode, String error) {
        boolean delivered() {
            return statusCode != null && statusCode / 100 == 2;
        }
    }

    private record Claimed(WebhookDeliveryEntity delivery, WebhookEntity webhook) {}

    private final EntityManager em;
    private final AndonConfig.Webhooks config;
    private final Clock clock;
    private final OutgoingHttp http;

    WebhookDispatcher(EntityManager em, AndonConfig config, Clock clock, OutgoingHttp http) {
        this.em = em;
        this.config = config.webhooks();
        this.clock = clock;
        this.http = http;
    }

    @Scheduled(
            identity = "webhook-dispatcher",
            every = "${andon.webhooks.dispatch-interval:1s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledDispatch() {
        dispatchDue();
    }

    /** Sends every delivery that is due now; returns how many were acknowledged. */
    public int dispatchDue() {
        List<Claimed> claimed = QuarkusTransaction.requiringNew().call(this::claimDue);
        List<CompletableFuture<Outcome>> sends =
                claimed.stream().map(this::send).toList();
        int delivered = 0;
        for (int i = 0; i < claimed.size(); i++) {
            // Recorded on this thread: the answers complete on the HTTP client's event loop, which must not block.
            Outcome outcome = sends.get(i).join();
            record(claimed.get(i).delivery(), outcome);
            delivered += outcome.delivered() ? 1 : 0;
        }
        return delivered;
    }

    private CompletableFuture<Outcome> send(Claimed claimed) {
        WebhookDeliveryEntity delivery = claimed.delivery();
        Map<String, String> headers = Map.of(
                "Content-Type",
                "application/json",
                "User-Agent",
                "Reefline-Andon",
                WebhookSignature.HEADER,
                WebhookSignature.sign(claimed.webhook().secret, delivery.payload),
                DELIVERY_HEADER,
                String.valueOf(delivery.id),
                EVENT_HEADER,
                delivery.event);
        // The destination is checked again now (and its answer's body not read): a refused one is a failed attempt.
        return http.send(
                        HttpMethod.POST,
                        claimed.webhook().url,
                        headers,
                        delivery.payload.getBytes(StandardCharsets.UTF_8),
                        config.timeout(),
                        0)
                .handle((answer, failure) ->
                        failure == null ? new Outcome(answer.status(), null) : new Outcome(null, describe(failure)));
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claimDue() {
        Instant now = clock.instant();
        List<WebhookDeliveryEntity> due = em.createNativeQuery(
                        "select * from webhook_delivery where status = 'PENDING' and next_attempt_at <= :now"
                                + " order by id limit :limit for update skip locked",
                        WebhookDeliveryEntity.class)
                .setParameter("now", now)
                .setParameter("limit", config.batchSize())
                .getResultList();
        if (due.isEmpty()) {
            return List.of();
        }
        // Long enough for the attempt to finish before another pass may pick the delivery up again.
        Instant leaseEnd = now.plus(config.timeout().multipliedBy(3));
        due.forEach(d -> d.nextAttemptAt = leaseEnd);
        Map<Long, WebhookEntity> webhooks =
                WebhookEntity.<WebhookEntity>list(
                                "id in ?1",
                                due.stream().map(d -> d.webhookId).distinct().toList())
                        .stream()
                        .collect(Collectors.toMap(w -> w.id, Function.identity()));
        em.flush();
        due.forEach(em::detach);
        webhooks.values().forEach(em::detach);
        return due.stream().map(d -> new Claimed(d, webhooks.get(d.webhookId))).toList();
    }

    private void record(WebhookDeliveryEntity sent, Outcome outcome) {
        QuarkusTransaction.requiringNew().run(() -> {
            WebhookDeliveryEntity delivery = em.find(WebhookDeliveryEntity.class, sent.id);
            if (delivery == null) {
                // The webhook was deleted while the message was on its way.
                return;
            }
            Instant now = clock.instant();
            delivery.attempts++;
            delivery.lastStatusCode = outcome.statusCode();
            if (outcome.delivered()) {
                delivery.status = WebhookDeliveryEntity.Status.DELIVERED;
                delivery.deliveredAt = now;
                delivery.lastError = null;
                return;
            }
            delivery.lastError =
                    truncate(outcome.error() != null ? outcome.error() : "HTTP " + outcome.statusCode(), 1000);
            if (delivery.attempts >= config.maxAttempts()) {
                delivery.status = WebhookDeliveryEntity.Status.FAILED;
                LOG.warnf(
                        "Webhook delivery %d gave up after %d attempts: %s",
                        delivery.id, delivery.attempts, delivery.lastError);
            } else {
                delivery.nextAttemptAt = now.plus(backoff(delivery.attempts));
            }
        });
    }

    /** {@code initialBackoff} doubling per failed attempt, capped at {@code maxBackoff}. */
    Duration backoff(int attempts) {
        return Backoff.doubling(config.initialBackoff(), config.maxBackoff()).after(attempts);
    }

    private static String describe(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RefusedDestination) {
            return "Refused destination: " + cause.getMessage();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
