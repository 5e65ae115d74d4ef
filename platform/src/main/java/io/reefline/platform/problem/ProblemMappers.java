package io.reefline.platform.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.reefline.platform.json.StrictJson;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every failure into an RFC 9457 problem: validation and malformed JSON name the field, security failures say
 * what is missing, and anything unexpected becomes a 500 with an error id that points to the log, never a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<FieldViolation> violations = e.getConstraintViolations().stream()
                .map(v -> new FieldViolation(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldViolation::field))
                .toList();
        String detail =
                violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; "));
        return Problem.validation(detail, violations).toResponse();
    }

    @ServerExceptionMapper
    public Response unrecognizedProperty(UnrecognizedPropertyException e) {
        String field = jsonPath(e);
        return Problem.validation(
                        "Unknown field '" + field + "'", List.of(new FieldViolation(field, "is not a known field")))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response nulCharacter(StrictJson.NulCharacterException e) {
        return Problem.validation(
                        "The request body contains a NUL character in a text value",
                        List.of(new FieldViolation("body", e.getMessage())))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonParseException e) {
        String where = e.getLocation() == null
                ? ""
                : " at line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr();
        return Problem.typed("malformed-json", 400, "Malformed JSON", "The request body is not valid JSON" + where)
                .toResponse();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return Problem.typed("malformed-json", 400, "Malformed JSON", "The request body cannot be read as JSON")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpHeaders headers, UriInfo uri) {
        return unauthenticated(headers, uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(Response.Status.FORBIDDEN, "Your role does not allow this operation")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response optimisticLock(OptimisticLockException e) {
        return Problem.typed(
                        "concurrent-write",
                        409,
                        "Conflict",
                        "Someone else changed this resource at the same moment; reload it and try again")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        // Quarkus REST wraps body-reading failures; answer them as the JSON problem they are.
        if (e.getCause() instanceof JsonParseException parse) {
            return malformedJson(parse);
        }
        if (e.getCause() instanceof JsonMappingException mapping) {
            return wrongType(mapping);
        }
        if (e.getCause() instanceof StrictJson.NulCharacterException nul) {
            return nulCharacter(nul);
        }
        if (e.getCause() instanceof JsonProcessingException processing) {
            return json(processing);
        }
        Response original = e.getResponse();
        Response.StatusType status = original.getStatusInfo();
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ")
                ? status.getReasonPhrase()
                : e.getMessage();
        Response.ResponseBuilder builder = Response.status(status.getStatusCode());
        original.getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(v -> builder.header(name, v));
            }
        });
        return builder.type(Problem.PROBLEM_JSON)
                .entity(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail))
                .build();
    }

    /** The form decoder's refusal of a malformed %-escape (e.g. {@code etag=%zz}); any other one is a bug. */
    @ServerExceptionMapper
    public Response illegalArgument(IllegalArgumentException e) {
        StackTraceElement[] frames = e.getStackTrace();
        if (frames.length > 0 && frames[0].getClassName().endsWith(".URLUtils")) {
            return Problem.validation(
                            "The form body is not correctly %-encoded",
                            List.of(new FieldViolation("body", "has a malformed %-escape")))
                    .toResponse();
        }
        return unexpected(e);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", errorId);
        return Problem.of(
                        Response.Status.INTERNAL_SERVER_ERROR,
                        "An unexpected error occurred; the service log has the details under error id " + errorId)
                .toResponse();
    }

    /** A person on a page is sent to sign in; a program gets a 401 problem. */
    private static Response unauthenticated(HttpHeaders headers, UriInfo uri) {
        String path = uri.getRequestUri().getRawPath();
        boolean page = !path.startsWith("/api/")
                && headers.getAcceptableMediaTypes().stream()
                        .anyMatch(t -> t.isCompatible(MediaType.TEXT_HTML_TYPE) && !t.isWildcardType());
        if (page) {
            String next = uri.getRequestUri().getRawQuery() == null
                    ? path
                    : path + "?" + uri.getRequestUri().getRawQuery();
            return Response.seeOther(UriBuilder.fromPath("/signin")
                            .queryParam("next", next)
                            .build())
                    .build();
        }
        return Response.status(Response.Status.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(Problem.PROBLEM_JSON)
                .entity(Problem.of(
                        Response.Status.UNAUTHORIZED, "A valid bearer token is required (Authorization: Bearer <JWT>)"))
                .build();
    }

    private static Response wrongType(JsonMappingException e) {
        String field = jsonPath(e);
        String message = e instanceof StrictJson.Refusal refusal
                ? refusal.rule()
                : e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                        ? "must be " + describe(mismatch.getTargetType())
                        : "has a value of the wrong type";
        if (field.isEmpty()) {
            return Problem.typed(
                            "malformed-json",
                            400,
                            "Malformed JSON",
                            "The request body does not have the expected shape")
                    .toResponse();
        }
        return Problem.validation(field + ": " + message, List.of(new FieldViolation(field, message)))
                .toResponse();
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            List<String> names = new ArrayList<>();
            for (Object c : constants) {
                names.add(c.toString());
            }
            return "one of " + names;
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a " + type.getSimpleName();
    }

    /** The JSON path of the offending element, e.g. {@code rings[2].soak}. */
    static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** Drops the method and parameter nodes of a parameter violation: {@code pull.request.reason} becomes {@code reason}. */
    static String fieldName(ConstraintViolation<?> violation) {
        List<String> nodes = new ArrayList<>();
        boolean parameterSeen = false;
        Iterator<Path.Node> it = violation.getPropertyPath().iterator();
        while (it.hasNext()) {
            Path.Node node = it.next();
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                    // not part of the field name
                }
                case PARAMETER -> parameterSeen = true;
                default -> {
                    String name = node.getName();
                    if (node.getIndex() != null && !nodes.isEmpty()) {
                        int last = nodes.size() - 1;
                        nodes.set(last, nodes.get(last) + "[" + node.getIndex() + "]");
                    }
                    if (name != null && !name.isEmpty() && !name.startsWith("<")) {
                        nodes.add(name);
                    }
                }
            }
        }
        if (nodes.isEmpty()) {
            // A violation on a query or path parameter: name the parameter itself.
            String last = null;
            for (Path.Node node : violation.getPropertyPath()) {
                last = node.getName();
            }
            return parameterSeen && last != null ? last : "body";
        }
        return String.join(".", nodes);
    }
}
