package io.reefline.andon.rest;

import io.quarkus.security.identity.SecurityIdentity;
import io.reefline.andon.persistence.WebhookDeliveryEntity;
import io.reefline.andon.persistence.WebhookEntity;
import io.reefline.andon.service.WebhookService;
import io.reefline.andon.service.WebhookSignature;
import io.reefline.platform.rest.Page;
import io.reefline.platform.rest.PageRequest;
import io.reefline.platform.security.Caller;
import io.reefline.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;

/** Operators register URLs that hear about pulls and resolves, and read how the deliveries went. */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.OPERATOR)
public class WebhookResource {

    /** A webhook as listed: never with its secret. */
    public record WebhookView(long id, String url, String description, String createdBy, Instant createdAt) {
        static WebhookView of(WebhookEntity webhook) {
            return new WebhookView(webhook.id, webhook.url, webhook.description, webhook.createdBy, webhook.createdAt);
        }
    }

    /** The answer to a registration: the only time the secret is shown. */
    public record CreatedWebhook(
            long id,
            String url,
            String description,
            String createdBy,
            Instant createdAt,
            String secret,
            String signatureHeader) {}

    /** One entry of the delivery log. */
    public record DeliveryView(
            long id,
            String event,
            long cordId,
            String status,
            int attempts,
            Integer lastStatusCode,
            String lastError,
            Instant createdAt,
            Instant nextAttemptAt,
            Instant deliveredAt) {
        static DeliveryView of(WebhookDeliveryEntity d) {
            return new DeliveryView(
                    d.id,
                    d.event,
                    d.cordId,
                    d.status.name().toLowerCase(),
                    d.attempts,
                    d.lastStatusCode,
                    d.lastError,
                    d.createdAt,
                    d.status == WebhookDeliveryEntity.Status.PENDING ? d.nextAttemptAt : null,
                    d.deliveredAt);
        }
    }

    private final WebhookService webhooks;
    private final SecurityIdentity identity;

    WebhookResource(WebhookService webhooks, SecurityIdentity identity) {
        this.webhooks = webhooks;
        this.identity = identity;
    }

    @POST
    public Response register(@Valid @NotNull WebhookRequest request, UriInfo uri) {
        WebhookService.Created created = webhooks.register(request, Caller.name(identity));
        WebhookEntity webhook = created.webhook();
        return Response.created(uri.getAbsolutePathBuilder()
                        .path(String.valueOf(webhook.id))
                        .build())
                .entity(new CreatedWebhook(
                        webhook.id,
                        webhook.url,
                        webhook.description,
                        webhook.createdBy,
                        webhook.createdAt,
                        created.secret(),
                        WebhookSignature.HEADER))
                .build();
    }

    @GET
    public List<WebhookView> list() {
        return webhooks.list().stream().map(WebhookView::of).toList();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") long id) {
        webhooks.delete(id);
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/deliveries")
    public Page<DeliveryView> deliveries(@PathParam("id") long id, @Valid @BeanParam PageRequest paging) {
        return webhooks.deliveries(id, paging).map(DeliveryView::of);
    }
}
