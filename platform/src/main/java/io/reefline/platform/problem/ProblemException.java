package io.reefline.platform.problem;

import jakarta.ws.rs.core.Response;

/** Thrown by REST resources to answer with a specific problem; mapped to problem+json as it is. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Problem.of(Response.Status.NOT_FOUND, what + " '" + id + "' does not exist"));
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.typed("conflict", 409, "Conflict", detail));
    }

    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(
                Problem.validation(field + ": " + message, java.util.List.of(new FieldViolation(field, message))));
    }

    /** The client's {@code If-Match} names a version that is no longer current. */
    public static ProblemException stale(String what, String current) {
        return new ProblemException(Problem.typed(
                "stale-write",
                412,
                "Precondition Failed",
                what + " was changed by someone else; its current ETag is " + current
                        + ". Reload it and apply your change again."));
    }

    /** A change to a mutable resource came without {@code If-Match}: no client overwrites what it has not read. */
    public static ProblemException preconditionRequired(String what) {
        return new ProblemException(Problem.typed(
                "precondition-required",
                428,
                "Precondition Required",
                what + " is changed only with an If-Match header naming the ETag you read (GET it first), or"
                        + " If-Match: * to change whatever version is current."));
    }
}
