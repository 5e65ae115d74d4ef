package io.reefline.flag.domain.conformance;

import io.reefline.flag.domain.EvaluationContext;
import io.reefline.flag.domain.EvaluationResult;
import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.Json;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Test fixture for the flagd conformance classes: a flagd flag file, imported as flag-service imports one, evaluated
 * the way flagd-testbed's gherkin scenarios evaluate it. Flag definitions and expected values are flagd-testbed's
 * ({@code flags/*.json}, {@code gherkin/*.feature}) and flagd's documentation; the scenario each test mirrors is named
 * in its Javadoc.
 */
final class FlagdSuite {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    private final Evaluator evaluator;

    private FlagdSuite(Evaluator evaluator) {
        this.evaluator = evaluator;
    }

    static FlagdSuite of(String flagdFile) {
        try {
            return new FlagdSuite(Evaluator.over(FlagSnapshot.of(FlagdDocument.parse(Json.tree(flagdFile)), 1), CLOCK));
        } catch (InvalidFlagdDocumentException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    Evaluator evaluator() {
        return evaluator;
    }

    EvaluationResult evaluate(String key) {
        return evaluator.evaluate(key, EvaluationContext.EMPTY);
    }

    EvaluationResult evaluate(String key, String attribute, Object value) {
        Map<String, Object> context = new HashMap<>();
        context.put(attribute, value);
        return evaluator.evaluate(key, EvaluationContext.of(context));
    }

    EvaluationResult evaluate(String key, Map<String, Object> context) {
        return evaluator.evaluate(key, EvaluationContext.of(context));
    }

    /**
     * What an OpenFeature SDK hands the caller: the resolved value, or the caller's default when the result has no
     * value (an error, a disabled flag, or a flag without a default variant that targeting did not match).
     */
    static Object resolvedValue(EvaluationResult result, Object callerDefault) {
        return result.value() != null ? result.value() : callerDefault;
    }

    /** A gherkin table's typed cell as the context carries it (OFREP's JSON numbers arrive as Long or Double). */
    static Object typed(String type, String text) {
        return switch (type) {
            case "Integer" -> Long.parseLong(text);
            case "Float" -> Double.parseDouble(text);
            case "Boolean" -> Boolean.parseBoolean(text);
            default -> text;
        };
    }
}
