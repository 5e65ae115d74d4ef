package io.reefline.metrics.rest;

import io.reefline.metrics.config.GitHubConfig;
import io.reefline.platform.problem.Problem;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * GitHub deliveries carry no token, so anyone may send one: this filter decides on the headers alone, before a byte
 * of the body is read. Without a configured secret, or without an {@code X-Hub-Signature-256} of the right shape, the
 * answer is 401; a body longer than {@code reefline.github.max-body-size} (by its {@code Content-Length}, which is
 * required) is 413. So an unauthenticated client can make the service buffer at most that many bytes, and only with a
 * signature that {@link GitHubWebhookResource} then checks in constant time.
 */
public class GitHubDeliveryGate {

    static final String PATH = "/api/webhooks/github";
    private static final Pattern SIGNATURE = Pattern.compile("sha256=[0-9a-fA-F]{64}");

    private final boolean secretConfigured;
    private final long maxBodyBytes;

    GitHubDeliveryGate(GitHubConfig config) {
        this.secretConfigured = config.webhookSecret().filter(s -> !s.isBlank()).isPresent();
        this.maxBodyBytes = config.maxBodySize().asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> beforeTheBody(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!"POST".equals(request.getMethod()) || !(path.equals(PATH) || path.equals(PATH + "/"))) {
            return Optional.empty();
        }
        String signature = request.getHeaderString("X-Hub-Signature-256");
        if (!secretConfigured
                || signature == null
                || !SIGNATURE.matcher(signature.strip()).matches()) {
            return Optional.of(refuse(Problem.of(
                    Response.Status.UNAUTHORIZED,
                    "X-Hub-Signature-256 is missing or does not match the body signed with the configured secret")));
        }
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        long bytes;
        try {
            bytes = length == null ? -1 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            return Optional.of(
                    refuse(Problem.of(411, "Length Required", "a GitHub delivery must state its Content-Length")));
        }
        if (bytes > maxBodyBytes) {
            return Optional.of(refuse(
                    Problem.of(413, "Content Too Large", "a GitHub delivery is at most " + maxBodyBytes + " bytes")));
        }
        return Optional.empty();
    }

    private static Response refuse(Problem problem) {
        // The body stays unread: the connection closes after the answer rather than draining it.
        return Response.fromResponse(problem.toResponse())
                .header("Connection", "close")
                .build();
    }
}
