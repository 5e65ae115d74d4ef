package io.reefline.platform.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The bean-validation rules of a request, checked where the change is made rather than at one entry: a service method
 * that changes state calls {@link #require} on its request, so an API call, a page form and any later entry all meet
 * the same rules and get the same 400 problem naming each field, and nothing is stored.
 */
@ApplicationScoped
public class RequestValidation {

    private final Validator validator;

    RequestValidation(Validator validator) {
        this.validator = validator;
    }

    /** Refuses {@code request} with a 400 problem listing every broken rule; a missing request is refused too. */
    public <T> T require(T request) {
        if (request == null) {
            throw new ProblemException(Problem.validation(
                    "A request body is required", List.of(new FieldViolation("body", "must not be null"))));
        }
        Set<ConstraintViolation<T>> found = validator.validate(request);
        if (found.isEmpty()) {
            return request;
        }
        List<FieldViolation> violations = found.stream()
                .map(v -> new FieldViolation(ProblemMappers.fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(FieldViolation::field))
                .toList();
        throw new ProblemException(Problem.validation(
                violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                violations));
    }
}
