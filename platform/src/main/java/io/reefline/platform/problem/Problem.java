package io.reefline.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error answer.
 *
 * @param type a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param violations for validation problems, the fields that were rejected and why
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        URI type, String title, int status, String detail, String instance, List<FieldViolation> violations) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType PROBLEM_JSON = MediaType.valueOf(MEDIA_TYPE);
    private static final String TYPE_BASE = "https://reefline.io/problems/";
    /** A detail or message quotes at most this many characters, so oversized input is named, never echoed back. */
    public static final int MAX_QUOTED = 500;

    public Problem {
        detail = capped(detail);
        violations = violations == null
                ? List.of()
                : violations.stream()
                        .map(v -> new FieldViolation(capped(v.field()), capped(v.message())))
                        .toList();
    }

    static String capped(String text) {
        if (text == null || text.length() <= MAX_QUOTED) {
            return text;
        }
        return text.substring(0, MAX_QUOTED) + "… (" + (text.length() - MAX_QUOTED) + " more characters)";
    }

    public static Problem of(Response.Status status, String detail) {
        return of(status.getStatusCode(), status.getReasonPhrase(), detail);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(URI.create("about:blank"), title, status, detail, null, List.of());
    }

    public static Problem validation(String detail, List<FieldViolation> violations) {
        return new Problem(URI.create(TYPE_BASE + "validation"), "Invalid request", 400, detail, null, violations);
    }

    public static Problem typed(String kind, int status, String title, String detail) {
        return new Problem(URI.create(TYPE_BASE + kind), title, status, detail, null, List.of());
    }

    public Response toResponse() {
        return Response.status(status).type(PROBLEM_JSON).entity(this).build();
    }
}
