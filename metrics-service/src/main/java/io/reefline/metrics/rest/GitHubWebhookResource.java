package io.reefline.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.metrics.config.GitHubConfig;
import io.reefline.metrics.service.DeliveryIngestion;
import io.reefline.metrics.service.GitHubSignature;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub {@code push} webhooks: every pushed commit becomes a commit event. GitHub sends no JWT, so the endpoint is
 * open and trusts only a valid {@code X-Hub-Signature-256} (HMAC-SHA256 of the raw body with the shared secret,
 * compared in constant time). {@link GitHubDeliveryGate} has already refused, before reading the body, a delivery
 * without a signature of the right shape or longer than {@code reefline.github.max-body-size}.
 */
@Path("/api/webhooks/github")
@PermitAll
public class GitHubWebhookResource {

    private final Optional<String> secret;
    private final long maxBodyBytes;
    private final ObjectMapper json;
    private final EventBatch batch;
    private final DeliveryIngestion delivery;

    GitHubWebhookResource(GitHubConfig config, ObjectMapper json, EventBatch batch, DeliveryIngestion delivery) {
        this.secret = config.webhookSecret().filter(s -> !s.isBlank());
        this.maxBodyBytes = config.maxBodySize().asLongValue();
        this.json = json;
        this.batch = batch;
        this.delivery = delivery;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(
            byte[] body,
            @HeaderParam("X-Hub-Signature-256") String signature,
            @HeaderParam("X-GitHub-Event") String event,
            @HeaderParam("X-GitHub-Delivery") String deliveryId)
            throws IOException {
        if (body.length > maxBodyBytes) {
            throw new ProblemException(
                    Problem.of(413, "Content Too Large", "a GitHub delivery is at most " + maxBodyBytes + " bytes"));
        }
        if (secret.isEmpty() || !GitHubSignature.matches(secret.get(), body, signature)) {
            throw new ProblemException(Problem.of(
                    Response.Status.UNAUTHORIZED,
                    "X-Hub-Signature-256 is missing or does not match the body signed with the configured secret"));
        }
        if ("ping".equals(event)) {
            return Response.ok(Map.of("pong", true)).build();
        }
        if (!"push".equals(event)) {
            return Response.accepted(Map.of("ignored", String.valueOf(event))).build();
        }
        if (deliveryId == null || deliveryId.isBlank() || deliveryId.length() > 50) {
            throw ProblemException.badRequest("X-GitHub-Delivery", "must name the delivery (at most 50 characters)");
        }
        JsonNode push;
        try {
            push = json.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("body", "must be a GitHub push payload");
        }
        return Response.ok(delivery.commits(batch.read(commits(push, deliveryId.strip()), CommitEvent.class)))
                .build();
    }

    /** The pushed commits as commit events, ids made of the delivery id and the SHA so a redelivery is a duplicate. */
    private JsonNode commits(JsonNode push, String deliveryId) {
        String repository = push.path("repository").path("full_name").asText(null);
        List<CommitEvent> events = new ArrayList<>();
        for (JsonNode commit : push.path("commits")) {
            String sha = commit.path("id").asText(null);
            JsonNode author = commit.path("author");
            String name = author.path("username").asText(author.path("name").asText(null));
            events.add(new CommitEvent(
                    deliveryId + ":" + sha,
                    sha,
                    repository,
                    name,
                    timestamp(commit.path("timestamp").asText(null))));
        }
        return json.valueToTree(events);
    }

    private static Instant timestamp(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("commits.timestamp", "must be an ISO-8601 time, was " + value);
        }
    }
}
