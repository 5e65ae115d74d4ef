package io.reefline.andon.jobs;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.reefline.andon.config.AndonConfig;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.andon.service.WebhookSignature;
import io.reefline.platform.backoff.Backoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
    private final HttpClient http;

    WebhookDispatcher(EntityManager em, AndonConfig config, Clock clock) {
        this.em = em;
        this.config = config.webhooks();
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
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
        List<CompletableFuture<Boolean>> sends =
                claimed.stream().map(this::send).toList();
        return (int) sends.stream().filter(CompletableFuture::join).count();
    }

    private CompletableFuture<Boolean> send(Claimed claimed) {
        WebhookDeliveryEntity delivery = claimed.delivery();
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(claimed.webhook().url))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Reefline-Andon")
                    .header(WebhookSignature.HEADER, WebhookSignature.sign(claimed.webhook().secret, delivery.payload))
                    .header(DELIVERY_HEADER, String.valueOf(delivery.id))
                    .header(EVENT_HEADER, delivery.event)
                    .POST(HttpRequest.BodyPublishers.ofString(delivery.payload))
                    .build();
        } catch (IllegalArgumentException e) {
            record(delivery, new Outcome(null, "Invalid webhook URL: " + e.getMessage()));
            return CompletableFuture.completedFuture(false);
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).handle((response, failure) -> {
            Outcome outcome =
                    failure == null ? new Outcome(response.statusCode(), null) : new Outcome(null, describe(failure));
            record(delivery, outcome);
            return outcome.delivered();
        });
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
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }
}
