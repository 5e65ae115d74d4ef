package io.reefline.andon.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.reefline.platform.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose declared body exceeds {@code quarkus.http.limits.max-body-size} with a 413 problem+json,
 * before anything reads the body. Quarkus enforces the same limit itself (route order -2) but with an empty 413; this
 * route runs just before it so clients get the same error shape as everywhere else. A chunked body without a
 * {@code Content-Length} that grows past the limit is still cut off by Quarkus itself, with its plain 413.
 */
@ApplicationScoped
public class RequestBodyLimit {

    private final Optional<MemorySize> limit;
    private final ObjectMapper json;

    RequestBodyLimit(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> limit, ObjectMapper json) {
        this.limit = limit;
        this.json = json;
    }

    void install(@Observes Router router) {
        limit.ifPresent(max -> router.route().order(-3).handler(ctx -> rejectIfTooLarge(ctx, max.asLongValue())));
    }

    private void rejectIfTooLarge(RoutingContext ctx, long max) {
        String declared = ctx.request().getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            length = -1;
        }
        if (length <= max) {
            ctx.next();
            return;
        }
        Problem problem = Problem.typed(
                "payload-too-large",
                413,
                "Payload Too Large",
                "The request body has " + length + " bytes; at most " + max + " are accepted");
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":413,\"title\":\"Payload Too Large\"}";
        }
        // The unread body is not drained: closing the connection is cheaper than reading what is refused.
        ctx.response()
                .setStatusCode(413)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
