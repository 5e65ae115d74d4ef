package io.reefline.flag.domain.flagd;

import static io.reefline.flag.domain.targeting.TargetingCompiler.escape;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.targeting.JsonLogicValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Likely mistakes in a flag that flagd nevertheless loads, found by looking at what its targeting can return:
 *
 * <ul>
 *   <li>a literal result (of {@code if}, {@code ?:}, {@code or}, {@code and}, a {@code fractional} bucket, a
 *       comparison's {@code true}/{@code false}, or the whole targeting) that names no variant: evaluation then
 *       answers an error;
 *   <li>a variant that is not the default and that the targeting never returns, when every result is a literal: it
 *       is never served.
 * </ul>
 *
 * Paths are JSON Pointers relative to the flag ({@code /variants/x}, {@code /targeting/if/1}).
 */
public final class FlagLint {

    /** Operations whose result is always {@code true} or {@code false}. */
    private static final Set<String> BOOLEAN_OPERATIONS = Set.of(
            "==",
            "!=",
            "===",
            "!==",
            "<",
            "<=",
            ">",
            ">=",
            "!",
            "!!",
            "in",
            "starts_with",
            "ends_with",
            "sem_ver",
            "all",
            "some",
            "none");

    /** Argument counts JsonLogic and flagd's operations expect: {min, max}. */
    private static final Map<String, int[]> ARITY = Map.ofEntries(
            Map.entry("missing_some", new int[] {2, 2}),
            Map.entry("or", new int[] {1, Integer.MAX_VALUE}),
            Map.entry("and", new int[] {1, Integer.MAX_VALUE}),
            Map.entry("!", new int[] {1, 1}),
            Map.entry("!!", new int[] {1, 1}),
            Map.entry("==", new int[] {2, 2}),
            Map.entry("!=", new int[] {2, 2}),
            Map.entry("===", new int[] {2, 2}),
            Map.entry("!==", new int[] {2, 2}),
            Map.entry("<", new int[] {2, 3}),
            Map.entry("<=", new int[] {2, 3}),
            Map.entry(">", new int[] {2, 2}),
            Map.entry(">=", new int[] {2, 2}),
            Map.entry("in", new int[] {2, 2}),
            Map.entry("substr", new int[] {2, 3}),
            Map.entry("*", new int[] {1, Integer.MAX_VALUE}),
            Map.entry("-", new int[] {1, 2}),
            Map.entry("/", new int[] {2, 2}),
            Map.entry("%", new int[] {2, 2}),
            Map.entry("map", new int[] {2, 2}),
            Map.entry("filter", new int[] {2, 2}),
            Map.entry("reduce", new int[] {2, 3}),
            Map.entry("all", new int[] {2, 2}),
            Map.entry("some", new int[] {2, 2}),
            Map.entry("none", new int[] {2, 2}),
            Map.entry("starts_with", new int[] {2, 2}),
            Map.entry("ends_with", new int[] {2, 2}),
            Map.entry("sem_ver", new int[] {3, 3}),
            Map.entry("var", new int[] {0, 2}));

    private final Map<String, JsonNode> evaluators;
    private final Map<String, String> returned = new LinkedHashMap<>();
    private final Set<String> followed = new HashSet<>();
    private boolean dynamic;

    private FlagLint(Map<String, JsonNode> evaluators) {
        this.evaluators = evaluators;
    }

    /** The warnings about one flag; {@code targeting} is its JsonLogic as written (null or empty for none). */
    public static List<DocumentProblem> check(
            Map<String, Object> variants, String defaultVariant, JsonNode targeting, Map<String, JsonNode> evaluators) {
        List<DocumentProblem> warnings = new ArrayList<>();
        if (targeting == null || !targeting.isObject() || targeting.isEmpty()) {
            return warnings;
        }
        arity(targeting, "/targeting", warnings);
        FlagLint lint = new FlagLint(evaluators);
        lint.results(targeting, "/targeting");
        lint.returned.forEach((name, path) -> {
            if (!variants.containsKey(name)) {
                warnings.add(new DocumentProblem(
                        path,
                        "the targeting can return '" + name + "', which is not one of the variants " + variants.keySet()
                                + "; evaluation then answers an error"));
            }
        });
        if (!lint.dynamic) {
            for (String variant : variants.keySet()) {
                if (!variant.equals(defaultVariant) && !lint.returned.containsKey(variant)) {
                    warnings.add(new DocumentProblem(
                            "/variants/" + escape(variant),
                            "is never served: it is not the default variant and the targeting never returns it"));
                }
            }
        }
        return warnings;
    }

    /**
     * Operations given a number of arguments they do not take, anywhere in the targeting: flagd loads them and they
     * evaluate to null (or fail), which is rarely what was meant.
     */
    public static void arity(JsonNode node, String path, List<DocumentProblem> warnings) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                arity(node.get(i), path + "/" + i, warnings);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        node.fields().forEachRemaining(field -> {
            String at = path + "/" + escape(field.getKey());
            int[] expected = node.size() == 1 ? ARITY.get(field.getKey()) : null;
            if (expected != null) {
                int count = field.getValue().isArray() ? field.getValue().size() : 1;
                if (count < expected[0] || count > expected[1]) {
                    String range = expected[0] == expected[1]
                            ? String.valueOf(expected[0])
                            : expected[1] == Integer.MAX_VALUE
                                    ? "at least " + expected[0]
                                    : expected[0] + " to " + expected[1];
                    warnings.add(new DocumentProblem(
                            at, "'" + field.getKey() + "' takes " + range + " argument(s), got " + count));
                }
            }
            arity(field.getValue(), at, warnings);
        });
    }

    /** Warnings merged: at most one per path, the first kept (the compiler's come first). */
    public static List<DocumentProblem> merged(List<DocumentProblem> first, List<DocumentProblem> second) {
        Map<String, DocumentProblem> byPath = new LinkedHashMap<>();
        first.forEach(w -> byPath.putIfAbsent(w.path(), w));
        second.forEach(w -> byPath.putIfAbsent(w.path(), w));
        return List.copyOf(byPath.values());
    }

    private void literal(JsonNode node, String path) {
        returned.putIfAbsent(JsonLogicValues.toText(FlagValues.fromJson(node)), path);
    }

    /** Records what {@code node} can evaluate to: literal names, or "dynamic" when it cannot be known. */
    private void results(JsonNode node, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return; // null: the default variant
        }
        if (node.isTextual() || node.isBoolean() || node.isNumber()) {
            literal(node, path);
            return;
        }
        if (!node.isObject() || node.size() != 1) {
            dynamic |= !(node.isObject() && node.isEmpty());
            return;
        }
        Map.Entry<String, JsonNode> operation = node.fields().next();
        String name = operation.getKey();
        JsonNode args = operation.getValue();
        String at = path + "/" + escape(name);
        switch (name) {
            case "if", "?:" -> {
                if (!args.isArray()) {
                    dynamic = true;
                    return;
                }
                int n = args.size();
                for (int i = 0; i + 1 < n; i += 2) {
                    results(args.get(i + 1), at + "/" + (i + 1));
                }
                if (n % 2 == 1) {
                    results(args.get(n - 1), at + "/" + (n - 1));
                }
            }
            case "or", "and" -> {
                if (!args.isArray()) {
                    results(args, at);
                    return;
                }
                for (int i = 0; i < args.size(); i++) {
                    results(args.get(i), at + "/" + i);
                }
            }
            case "fractional" -> {
                if (!args.isArray()) {
                    dynamic = true;
                    return;
                }
                for (int i = 0; i < args.size(); i++) {
                    JsonNode distribution = args.get(i);
                    if (distribution.isArray() && !distribution.isEmpty()) {
                        JsonNode variant = distribution.get(0);
                        if (variant.isTextual() || variant.isBoolean() || variant.isNumber()) {
                            literal(variant, at + "/" + i + "/0");
                        } else {
                            dynamic = true;
                        }
                    }
                }
            }
            case "$ref" -> {
                JsonNode shared = args.isTextual() ? evaluators.get(args.textValue()) : null;
                if (shared == null) {
                    dynamic = true; // an unknown evaluator is reported by the compiler
                } else if (followed.add(args.textValue())) {
                    results(shared, at);
                }
            }
            default -> {
                if (BOOLEAN_OPERATIONS.contains(name)) {
                    returned.putIfAbsent("true", at);
                    returned.putIfAbsent("false", at);
                } else {
                    dynamic = true;
                }
            }
        }
    }
}
