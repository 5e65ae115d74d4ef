package io.reefline.platform.security;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.reefline.platform.config.ReeflineConfig;
import io.reefline.platform.problem.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a browser's request must satisfy before any authentication runs, and the headers every answer carries.
 *
 * <ul>
 *   <li>A change (POST, PUT, PATCH, DELETE) that could be authenticated by a cookie alone (it carries cookies and no
 *       {@code Authorization} header) must come from a page of this service: its {@code Origin}, else its {@code
 *       Referer}, must name this service's own origin (or one of {@code reefline.http.trusted-origins}). Another site
 *       cannot post a form in a signed-in person's name, whatever the cookie's SameSite says; a change with neither
 *       header is refused too.
 *   <li>{@code /api/**} takes the sign-in cookie only for reads (pages link to some of them: data, CSV); a change
 *       through the API needs a bearer token, so its cookies are dropped before authentication.
 *   <li>Pages get a Content-Security-Policy that allows only this service's own scripts, styles and forms and no
 *       framing, and every answer gets {@code X-Content-Type-Options}, {@code X-Frame-Options} and {@code
 *       Referrer-Policy}.
 * </ul>
 */
@ApplicationScoped
public class BrowserGuard {

    /** After CORS (300), before authentication (200). */
    private static final int PRIORITY = 250;

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final List<String> trustedOrigins;
    private final String contentSecurityPolicy;

    BrowserGuard(ReeflineConfig config) {
        this.trustedOrigins = config.http().trustedOrigins().orElse(List.of()).stream()
                .map(BrowserGuard::origin)
                .flatMap(Optional::stream)
                .toList();
        this.contentSecurityPolicy = config.http().contentSecurityPolicy();
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
    }

    void guard(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = request.path() == null ? "" : request.path();
        context.addHeadersEndHandler(ignored -> secureHeaders(context, path));
        boolean change = !SAFE.contains(request.method());
        boolean cookieOnly = request.headers().contains(HttpHeaders.COOKIE)
                && !request.headers().contains(HttpHeaders.AUTHORIZATION);
        if (change && cookieOnly) {
            if (path.startsWith("/api/")) {
                // The API changes nothing on a cookie's word: only a bearer token may.
                request.headers().remove(HttpHeaders.COOKIE);
            } else if (!fromOwnOrigin(request)) {
                refuse(context);
                return;
            }
        }
        context.next();
    }

    private boolean fromOwnOrigin(HttpServerRequest request) {
        String claimed = request.getHeader(HttpHeaders.ORIGIN);
        if (claimed == null || claimed.isBlank() || "null".equals(claimed)) {
            claimed = request.getHeader(HttpHeaders.REFERER);
        }
        Optional<String> origin = claimed == null ? Optional.empty() : origin(claimed);
        if (origin.isEmpty()) {
            return false;
        }
        if (trustedOrigins.contains(origin.get())) {
            return true;
        }
        // The browser names the host it sent the request to in Host; the page's origin must name the same one.
        String host = request.getHeader(HttpHeaders.HOST);
        return host != null && origin.get().endsWith("//" + host.toLowerCase(Locale.ROOT));
    }

    /** {@code scheme://host[:port]} of a URL, lower case, or empty when it is none. */
    static Optional<String> origin(String url) {
        try {
            URI uri = URI.create(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return Optional.empty();
            }
            return Optional.of((uri.getScheme() + "://" + uri.getRawAuthority()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static void refuse(RoutingContext context) {
        Problem problem = Problem.of(
                403,
                "Forbidden",
                "A change made with the sign-in cookie must come from this service's own pages (its Origin or"
                        + " Referer header); use the page, or call the API with a bearer token");
        context.response()
                .setStatusCode(403)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(JsonObject.mapFrom(problem).encode());
    }

    private void secureHeaders(RoutingContext context, String path) {
        var headers = context.response().headers();
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "same-origin");
        // Swagger UI and the dev pages bring their own inline scripts; everything else is Reefline's own.
        if (!path.startsWith("/q/")) {
            headers.set("X-Frame-Options", "DENY");
            String type = headers.get(HttpHeaders.CONTENT_TYPE);
            if (type != null && type.toLowerCase(Locale.ROOT).startsWith("text/html")) {
                headers.set("Content-Security-Policy", contentSecurityPolicy);
            }
        }
    }
}
