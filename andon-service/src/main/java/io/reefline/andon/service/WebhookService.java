package io.reefline.andon.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.andon.rest.WebhookRequest;
import io.reefline.platform.net.OutgoingHttp;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;

/**
 * Registers webhooks and writes one delivery per webhook for every pull and resolve. Writing a delivery is a row in
 * the cord's own transaction; sending it is the dispatcher's job, so a slow or failing receiver never holds up a
 * pull.
 */
@ApplicationScoped
public class WebhookService {

    public static final String CORD_PULLED = "cord.pulled";
    public static final String CORD_RESOLVED = "cord.resolved";

    /** A webhook just created, with its secret: the only time the secret is shown. */
    public record Created(WebhookEntity webhook, String secret) {}

    private final ObjectMapper json;
    private final Clock clock;
    private final OutgoingHttp http;
    private final SecureRandom random = new SecureRandom();

    WebhookService(ObjectMapper json, Clock clock, OutgoingHttp http) {
        // Slack rejects explicit nulls in blocks; leave absent fields out.
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        this.clock = clock;
        this.http = http;
    }

    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public Created register(WebhookRequest request, String actor) {
        // Checked again at every delivery: a name may resolve elsewhere later.
        http.refusal(request.url()).ifPresent(reason -> {
            throw ProblemException.badRequest("url", "is not an allowed destination: " + reason);
        });
        WebhookEntity webhook = new WebhookEntity();
        webhook.url = request.url().strip();
        webhook.secret = request.secret() == null || request.secret().isBlank() ? newSecret() : request.secret();
        webhook.description =
                request.description() == null || request.description().isBlank()
                        ? null
                        : request.description().strip();
        webhook.createdBy = actor;
        webhook.createdAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        webhook.persist();
        return new Created(webhook, webhook.secret);
    }

    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public List<WebhookEntity> list() {
        return WebhookEntity.list("order by id");
    }

    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public void delete(long id) {
        if (!WebhookEntity.deleteById(id)) {
            throw ProblemException.notFound("Webhook", id);
        }
    }

    /** The delivery log of one webhook, newest first. */
    @Transactional
    @RolesAllowed(Roles.OPERATOR)
    public Page<WebhookDeliveryEntity> deliveries(long webhookId, PageRequest paging) {
        if (WebhookEntity.findById(webhookId) == null) {
            throw ProblemException.notFound("Webhook", webhookId);
        }
        List<WebhookDeliveryEntity> items = WebhookDeliveryEntity.<WebhookDeliveryEntity>find(
                        "webhookId = ?1 order by id desc", webhookId)
                .range(paging.firstResult(), paging.firstResult() + paging.size() - 1)
                .list();
        return Page.of(paging, WebhookDeliveryEntity.count("webhookId", webhookId), items);
    }

    /** Queues the message about {@code cord} for every webhook, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    void announce(CordEntity cord, String event, Instant now) {
        List<WebhookEntity> targets = WebhookEntity.listAll();
        if (targets.isEmpty()) {
            return;
        }
        String payload = write(CORD_PULLED.equals(event) ? SlackMessage.pulled(cord) : SlackMessage.resolved(cord));
        for (WebhookEntity webhook : targets) {
            WebhookDeliveryEntity delivery = new WebhookDeliveryEntity();
            delivery.webhookId = webhook.id;
            delivery.event = event;
            delivery.cordId = cord.id;
            delivery.payload = payload;
            delivery.status = WebhookDeliveryEntity.Status.PENDING;
            delivery.createdAt = now;
            delivery.nextAttemptAt = now;
            delivery.persist();
        }
    }

    private String write(SlackMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A webhook message cannot be written as JSON", e);
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
