package io.reefline.metrics.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an event body that is one event or an array of them, and validates every event before any is stored: a batch
 * is accepted whole or rejected whole, with each bad field named by its index ({@code [3].severity}).
 */
@ApplicationScoped
public class EventBatch {

    static final int MAX_EVENTS = 10_000;

    private final ObjectMapper json;
    private final Validator validator;

    EventBatch(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    public <T> List<T> read(JsonNode body, Class<T> type) throws IOException {
        if (body == null || body.isNull() || body.isMissingNode()) {
            throw ProblemException.badRequest("body", "must be an event or an array of events");
        }
        boolean array = body.isArray();
        if (array && body.size() > MAX_EVENTS) {
            throw ProblemException.badRequest("body", "must hold at most " + MAX_EVENTS + " events");
        }
        List<T> events = new ArrayList<>();
        if (array) {
            for (JsonNode node : body) {
                events.add(json.treeToValue(node, type));
            }
        } else {
            events.add(json.treeToValue(body, type));
        }
        List<FieldViolation> violations = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String prefix = array ? "[" + i + "]." : "";
            Set<ConstraintViolation<T>> found = validator.validate(events.get(i));
            List<FieldViolation> ofEvent = new ArrayList<>();
            found.forEach(v -> ofEvent.add(new FieldViolation(prefix + v.getPropertyPath(), v.getMessage())));
            if (found.isEmpty() && events.get(i) instanceof CrossFieldRules rules) {
                rules.crossFieldViolations()
                        .forEach(v -> ofEvent.add(new FieldViolation(prefix + v.field(), v.message())));
            }
            ofEvent.sort(Comparator.comparing(FieldViolation::field));
            violations.addAll(ofEvent);
        }
        if (!violations.isEmpty()) {
            throw new ProblemException(Problem.validation(
                    violations.stream().map(v -> v.field() + ": " + v.message()).collect(Collectors.joining("; ")),
                    violations));
        }
        return events;
    }

    /** What an ingestion call did. */
    public record Receipt(int received, int stored, int duplicates) {}
}
