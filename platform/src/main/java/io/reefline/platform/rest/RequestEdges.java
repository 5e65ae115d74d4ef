package io.reefline.platform.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses, before any resource runs, what a request's line and headers already show to be unacceptable, each as a
 * problem+json 4xx instead of the HTTP server's empty answers: a request line longer than
 * {@code reefline.http.max-request-line} (414), a declared body over {@code quarkus.http.limits.max-body-size} (413),
 * malformed %-encoding or NUL characters ({@code %00}) in the path or query (400). (The HTTP decoder itself refuses raw
 * NUL bytes in headers, with its plain 400, before any route runs.) A
 * failure handler gives the same shape to the 4xx answers the HTTP layer produces later (a chunked body growing past
 * the limit, a form body that cannot be decoded).
 */
@ApplicationScoped
public class RequestEdges {

    /**
     * Ahead of Quarkus's own handlers that look at the same things with empty answers: security's path matching
     * (which decodes the path) and the body-size check (order -2).
     */
    static final int ORDER = Integer.MIN_VALUE + 10;

    private final Optional<MemorySize> maxBody;
    private final int maxRequestLine;
    private final ObjectMapper json;

    RequestEdges(
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBody,
            @ConfigProperty(name = "reefline.http.max-request-line", defaultValue = "4096") int maxRequestLine,
            ObjectMapper json) {
        this.maxBody = maxBody;
        this.maxRequestLine = maxRequestLine;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
        router.route().order(ORDER).failureHandler(this::failed);
    }

    /**
     * Called by each service's main before Quarkus starts (and set for tests by the build): Quarkus's root handler
     * checks every request target with {@link URI} and answers an empty 400; with its check off, this class makes the
     * same check, and more, with a problem body.
     */
    public static void takeOverUriValidation() {
        System.setProperty(URI_VALIDATION_OFF, "true");
    }

    static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

    private void check(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String uri = request.uri();
        int line = request.method().name().length() + 1 + uri.length() + " HTTP/1.1".length();
        if (line > maxRequestLine) {
            answer(
                    ctx,
                    Problem.typed(
                            "uri-too-long",
                            414,
                            "URI Too Long",
                            "The request line has " + line + " characters; at most " + maxRequestLine
                                    + " are accepted"));
            return;
        }
        String refusal = Encoding.refusal(uri);
        if (refusal == null && !validTarget(uri)) {
            refusal = "is not a valid URI";
        }
        if (refusal != null) {
            answer(ctx, invalid("uri", "The request target " + refusal, refusal));
            return;
        }
        int queryStart = uri.indexOf('?');
        String path = queryStart < 0 ? uri : uri.substring(0, queryStart);
        String query = queryStart < 0 ? null : uri.substring(queryStart + 1);
        refusal = Encoding.refusal(path);
        if (refusal != null) {
            answer(ctx, invalid("path", "The request path " + refusal, refusal));
            return;
        }
        if (query != null) {
            refusal = Encoding.refusal(query);
            if (refusal != null) {
                answer(ctx, invalid("query", "The query string " + refusal, refusal));
                return;
            }
        }
        if (maxBody.isPresent()) {
            long max = maxBody.get().asLongValue();
            String declared = request.getHeader("Content-Length");
            if (declared != null) {
                long length;
                try {
                    length = Long.parseLong(declared.strip());
                } catch (NumberFormatException e) {
                    length = Long.MAX_VALUE;
                }
                if (length > max) {
                    answer(ctx, tooLarge(max));
                    return;
                }
            }
        }
        ctx.next();
    }

    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        if (status == 413) {
            answer(ctx, tooLarge(maxBody.map(MemorySize::asLongValue).orElse(-1L)));
        } else if (status == 414 || status == 431) {
            answer(ctx, Problem.of(status, status == 414 ? "URI Too Long" : "Request Header Fields Too Large", null));
        } else if (status == 400 || ctx.failure() instanceof IllegalArgumentException) {
            // Vert.x's form and query decoders fail this way on malformed %-encoding.
            answer(
                    ctx,
                    invalid(
                            "body",
                            "The request could not be decoded: it is not correctly encoded",
                            "is not correctly encoded"));
        } else {
            ctx.next();
        }
    }

    private static boolean validTarget(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Problem tooLarge(long max) {
        return Problem.typed(
                "payload-too-large",
                413,
                "Payload Too Large",
                max < 0 ? "The request body is too large" : "The request body is larger than " + max + " bytes");
    }

    private static Problem invalid(String field, String detail, String message) {
        return Problem.validation(detail, List.of(new FieldViolation(field, message)));
    }

    private void answer(RoutingContext ctx, Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + "}";
        }
        // An unread body is not drained: closing the connection is cheaper than reading what is refused.
        ctx.response()
                .setStatusCode(problem.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }

    /** Checks the %-encoding of a raw path or query: every escape has two hex digits, none decodes to NUL. */
    static final class Encoding {

        private Encoding() {}

        /** Why {@code raw} is refused, e.g. "contains a NUL character"; null when it is acceptable. */
        static String refusal(String raw) {
            int i = 0;
            int n = raw.length();
            while (i < n) {
                char c = raw.charAt(i);
                if (c == '\0') {
                    return "contains a NUL character";
                }
                if (c == '%') {
                    if (i + 2 >= n) {
                        return "has a malformed %-escape";
                    }
                    int high = Character.digit(raw.charAt(i + 1), 16);
                    int low = Character.digit(raw.charAt(i + 2), 16);
                    if (high < 0 || low < 0) {
                        return "has a malformed %-escape";
                    }
                    if (high == 0 && low == 0) {
                        return "contains a NUL character (%00)";
                    }
                    i += 3;
                } else {
                    i++;
                }
            }
            return null;
        }
    }
}
