package io.reefline.flag.domain.targeting;

import com.fasterxml.jackson.databind.JsonNode;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.targeting.ArrayRules.Quantity;
import io.reefline.flag.domain.targeting.BasicRules.Constant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compiles flagd targeting (JsonLogic plus flagd's operations) into {@link Rule} trees, resolving {@code $ref}s to
 * shared evaluators at compile time. Structural mistakes (unknown operations, wrong argument counts of JsonLogic's
 * operations, unknown or cyclic {@code $ref}s) and targeting beyond the {@link TargetingLimits} are compile errors
 * naming the JSON Pointer of the bad element; odd runtime input is not an error and evaluates to a falsy value, as in
 * JsonLogic. flagd's own operations given arguments they cannot use ({@code sem_ver}, {@code starts_with},
 * {@code ends_with} or {@code fractional} with the wrong number of arguments, an invalid literal version or operator)
 * compile to {@code null}, as flagd evaluates them, so files flagd accepts import unchanged.
 */
public final class TargetingCompiler {

    private final Map<String, JsonNode> sharedEvaluators;
    private final boolean deferUnresolvedReferences;
    private final Map<String, long[]> measuredEvaluators = new HashMap<>();
    private final Set<String> measuring = new HashSet<>();
    private final Map<String, Rule> compiledEvaluators = new HashMap<>();
    private final Map<String, String> brokenEvaluators = new HashMap<>();
    private final LinkedHashSet<String> resolving = new LinkedHashSet<>();
    private List<TargetingProblem> problems = new ArrayList<>();

    /** A compiler for targeting that may {@code $ref} the given shared evaluators (flagd's {@code $evaluators}). */
    public TargetingCompiler(Map<String, JsonNode> sharedEvaluators) {
        this(sharedEvaluators, false);
    }

    private TargetingCompiler(Map<String, JsonNode> sharedEvaluators, boolean deferUnresolvedReferences) {
        this.sharedEvaluators = new LinkedHashMap<>(sharedEvaluators);
        this.deferUnresolvedReferences = deferUnresolvedReferences;
    }

    /**
     * A compiler that accepts a {@code $ref} to a shared evaluator that does not exist and compiles it into a rule
     * that fails when evaluated, so that the flag evaluates to ERROR / PARSE_ERROR as in flagd. For flags already
     * stored whose evaluators changed since; writes use the strict compiler.
     */
    public TargetingCompiler deferringUnresolvedReferences() {
        return new TargetingCompiler(sharedEvaluators, true);
    }

    /** A compiler for targeting that uses no shared evaluators. */
    public static TargetingCompiler standalone() {
        return new TargetingCompiler(Map.of());
    }

    /** Compiles targeting; all problems are reported together. */
    public Targeting compile(JsonNode source) throws TargetingCompileException {
        if (source == null || !source.isObject()) {
            throw new TargetingCompileException(List.of(new TargetingProblem("", "targeting must be a JSON object")));
        }
        List<TargetingProblem> found = new ArrayList<>();
        Rule rule = withProblems(found, () -> rule(source, ""));
        if (!found.isEmpty()) {
            throw new TargetingCompileException(found);
        }
        found.addAll(limitProblems(measure(source)));
        if (!found.isEmpty()) {
            throw new TargetingCompileException(found, true);
        }
        return new Targeting(source, new FlagdRules.Root(rule));
    }

    /** Checks one shared evaluator on its own, so its problems can be reported where it is defined. */
    public List<TargetingProblem> check(String evaluatorName) {
        List<TargetingProblem> found = new ArrayList<>();
        withProblems(found, () -> sharedEvaluator(evaluatorName, ""));
        if (found.isEmpty() && sharedEvaluators.get(evaluatorName) != null) {
            found.addAll(limitProblems(measureEvaluator(evaluatorName)));
        }
        return found;
    }

    private static List<TargetingProblem> limitProblems(long[] measured) {
        List<TargetingProblem> found = new ArrayList<>();
        if (measured[1] > TargetingLimits.MAX_DEPTH) {
            found.add(new TargetingProblem(
                    "",
                    "targeting nests " + measured[1] + " operations deep once $refs are expanded; at most "
                            + TargetingLimits.MAX_DEPTH + " are allowed"));
        }
        if (measured[0] > TargetingLimits.MAX_NODES) {
            found.add(new TargetingProblem(
                    "",
                    "targeting has " + (measured[0] >= SATURATED ? "more than " + SATURATED : measured[0])
                            + " nodes once $refs are expanded; at most " + TargetingLimits.MAX_NODES
                            + " are allowed (an evaluator counts every time it is referenced)"));
        }
        return found;
    }

    /** Counts beyond this are all "too many"; keeps the sums of exponentially expanding references from overflowing. */
    private static final long SATURATED = 1L << 40;

    /**
     * The size of targeting once {@code $ref}s are expanded: {nodes, depth in nested operations}. An array of
     * literals is one node (it compiles to one constant). Each shared evaluator is measured once and then counted
     * every time it is referenced, so this takes time linear in the written JSON even when the expansion is huge.
     */
    private long[] measure(JsonNode node) {
        if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> operation = node.fields().next();
            if ("$ref".equals(operation.getKey())) {
                JsonNode name = operation.getValue();
                return name.isTextual() && sharedEvaluators.get(name.textValue()) != null
                        ? measureEvaluator(name.textValue())
                        : new long[] {1, 0};
            }
            long[] arguments = measure(operation.getValue());
            return new long[] {saturated(1 + arguments[0]), 1 + arguments[1]};
        }
        if (node.isArray()) {
            long nodes = 1;
            long depth = 0;
            boolean literal = true;
            for (JsonNode element : node) {
                if (element.isContainerNode()) {
                    long[] measured = measure(element);
                    nodes = saturated(nodes + measured[0]);
                    depth = Math.max(depth, measured[1]);
                    literal = false;
                } else {
                    nodes = saturated(nodes + 1);
                }
            }
            return literal ? new long[] {1, 0} : new long[] {nodes, depth};
        }
        return new long[] {1, 0};
    }

    private long[] measureEvaluator(String name) {
        long[] known = measuredEvaluators.get(name);
        if (known != null) {
            return known;
        }
        if (!measuring.add(name)) {
            return new long[] {1, 0}; // a cycle, reported by compilation
        }
        try {
            long[] measured = measure(sharedEvaluators.get(name));
            measuredEvaluators.put(name, measured);
            return measured;
        } finally {
            measuring.remove(name);
        }
    }

    private static long saturated(long nodes) {
        return Math.min(nodes, SATURATED);
    }

    /** The budget steps one element of an array operation costs: the nodes of its per-element expression, plus one. */
    private long elementCost(JsonNode args) {
        return args.isArray() && args.size() >= 2 ? 1 + measure(args.get(1))[0] : 1;
    }

    private Rule withProblems(List<TargetingProblem> sink, Supplier<Rule> compilation) {
        List<TargetingProblem> outer = problems;
        problems = sink;
        try {
            return compilation.get();
        } finally {
            problems = outer;
        }
    }

    private Rule problem(String path, String message) {
        problems.add(new TargetingProblem(path, message));
        return BasicRules.NULL;
    }

    private Rule rule(JsonNode node, String path) {
        if (node.isObject() && node.size() == 1) {
            Map.Entry<String, JsonNode> operation = node.fields().next();
            String name = operation.getKey();
            String at = path + "/" + escape(name);
            if ("$ref".equals(name)) {
                return reference(operation.getValue(), at);
            }
            return operation(name, operation.getValue(), at);
        }
        if (node.isArray()) {
            Rule[] elements = new Rule[node.size()];
            boolean allConstant = true;
            for (int i = 0; i < elements.length; i++) {
                elements[i] = rule(node.get(i), path + "/" + i);
                allConstant &= BasicRules.isConstant(elements[i]);
            }
            if (allConstant) {
                List<Object> values = new ArrayList<>(elements.length);
                for (Rule element : elements) {
                    values.add(BasicRules.constantValue(element));
                }
                return new Constant(Collections.unmodifiableList(values));
            }
            return new BasicRules.ListOf(elements);
        }
        return BasicRules.constant(FlagValues.fromJson(node));
    }

    private Rule reference(JsonNode name, String path) {
        if (!name.isTextual()) {
            return problem(path, "$ref must name a shared evaluator");
        }
        if (deferUnresolvedReferences && !sharedEvaluators.containsKey(name.textValue())) {
            return new BasicRules.UnresolvedReference(name.textValue());
        }
        return sharedEvaluator(name.textValue(), path);
    }

    private Rule sharedEvaluator(String name, String path) {
        Rule compiled = compiledEvaluators.get(name);
        if (compiled != null) {
            return compiled;
        }
        if (!sharedEvaluators.containsKey(name)) {
            return problem(path, "unknown shared evaluator '" + name + "'");
        }
        if (resolving.contains(name)) {
            List<String> cycle = new ArrayList<>(resolving);
            cycle = cycle.subList(cycle.indexOf(name), cycle.size());
            return problem(
                    path,
                    "shared evaluators refer to each other in a cycle: " + String.join(" -> ", cycle) + " -> " + name);
        }
        if (brokenEvaluators.containsKey(name)) {
            return problem(path, "shared evaluator '" + name + "' is invalid: " + brokenEvaluators.get(name));
        }
        JsonNode definition = sharedEvaluators.get(name);
        if (definition == null || !definition.isObject()) {
            brokenEvaluators.put(name, "it must be a JSON object");
            return problem(path, "shared evaluator '" + name + "' must be a JSON object");
        }
        resolving.add(name);
        List<TargetingProblem> inner = new ArrayList<>();
        Rule rule;
        try {
            rule = withProblems(inner, () -> rule(definition, ""));
        } finally {
            resolving.remove(name);
        }
        if (!inner.isEmpty()) {
            brokenEvaluators.put(name, inner.get(0).message());
            if (path.isEmpty()) {
                problems.addAll(inner);
            } else {
                problem(
                        path,
                        "shared evaluator '" + name + "' is invalid: "
                                + inner.get(0).message());
            }
            return BasicRules.NULL;
        }
        compiledEvaluators.put(name, rule);
        return rule;
    }

    private Rule[] arguments(JsonNode args, String path) {
        if (!args.isArray()) {
            return new Rule[] {rule(args, path)};
        }
        Rule[] rules = new Rule[args.size()];
        for (int i = 0; i < rules.length; i++) {
            rules[i] = rule(args.get(i), path + "/" + i);
        }
        return rules;
    }

    private boolean arity(String name, Rule[] args, int min, int max, String path) {
        if (args.length < min || args.length > max) {
            String expected = min == max
                    ? String.valueOf(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            problem(path, "'" + name + "' takes " + expected + " argument(s), got " + args.length);
            return false;
        }
        return true;
    }

    private Rule operation(String name, JsonNode argsNode, String path) {
        switch (name) {
            case "fractional":
                return fractional(argsNode, path);
            case "var":
                return variable(arguments(argsNode, path), path);
            default:
                break;
        }
        Rule[] args = arguments(argsNode, path);
        int any = Integer.MAX_VALUE;
        return switch (name) {
            case "missing" -> new BasicRules.Missing(args);
            case "missing_some" ->
                arity(name, args, 2, 2, path) ? new BasicRules.MissingSome(args[0], args[1]) : BasicRules.NULL;
            case "if", "?:" -> new BasicRules.If(args);
            case "or" -> arity(name, args, 1, any, path) ? new BasicRules.Or(args) : BasicRules.NULL;
            case "and" -> arity(name, args, 1, any, path) ? new BasicRules.And(args) : BasicRules.NULL;
            case "!" -> arity(name, args, 1, any, path) ? new BasicRules.Truth(args[0], true) : BasicRules.NULL;
            case "!!" -> arity(name, args, 1, any, path) ? new BasicRules.Truth(args[0], false) : BasicRules.NULL;
            case "==", "!=", "===", "!==" ->
                arity(name, args, 2, 2, path)
                        ? new BasicRules.Equality(args[0], args[1], name.length() == 3, name.startsWith("!"))
                        : BasicRules.NULL;
            case "<", "<=" ->
                arity(name, args, 2, 3, path)
                        ? new BasicRules.Relational(args, true, name.length() == 2)
                        : BasicRules.NULL;
            case ">", ">=" ->
                arity(name, args, 2, 2, path)
                        ? new BasicRules.Relational(args, false, name.length() == 2)
                        : BasicRules.NULL;
            case "in" -> arity(name, args, 2, 2, path) ? in(args[0], args[1]) : BasicRules.NULL;
            case "cat" -> new BasicRules.Cat(args);
            case "substr" ->
                arity(name, args, 2, 3, path)
                        ? new BasicRules.Substr(args[0], args[1], args.length == 3 ? args[2] : null)
                        : BasicRules.NULL;
            case "+" -> new ArithmeticRules.Sum(args);
            case "*" -> arity(name, args, 1, any, path) ? new ArithmeticRules.Product(args) : BasicRules.NULL;
            case "-" ->
                arity(name, args, 1, 2, path)
                        ? new ArithmeticRules.Difference(args[0], args.length == 2 ? args[1] : null)
                        : BasicRules.NULL;
            case "/" ->
                arity(name, args, 2, 2, path) ? new ArithmeticRules.Quotient(args[0], args[1]) : BasicRules.NULL;
            case "%" ->
                arity(name, args, 2, 2, path) ? new ArithmeticRules.Remainder(args[0], args[1]) : BasicRules.NULL;
            case "min" -> new ArithmeticRules.Extreme(args, false);
            case "max" -> new ArithmeticRules.Extreme(args, true);
            case "merge" -> new ArrayRules.Merge(args);
            case "map" ->
                arity(name, args, 2, 2, path)
                        ? new ArrayRules.MapEach(args[0], args[1], elementCost(argsNode))
                        : BasicRules.NULL;
            case "filter" ->
                arity(name, args, 2, 2, path)
                        ? new ArrayRules.Filter(args[0], args[1], elementCost(argsNode))
                        : BasicRules.NULL;
            case "reduce" ->
                arity(name, args, 2, 3, path)
                        ? new ArrayRules.Reduce(
                                args[0], args[1], args.length == 3 ? args[2] : BasicRules.NULL, elementCost(argsNode))
                        : BasicRules.NULL;
            case "all" ->
                arity(name, args, 2, 2, path)
                        ? new ArrayRules.Quantified(args[0], args[1], Quantity.ALL, elementCost(argsNode))
                        : BasicRules.NULL;
            case "some" ->
                arity(name, args, 2, 2, path)
                        ? new ArrayRules.Quantified(args[0], args[1], Quantity.SOME, elementCost(argsNode))
                        : BasicRules.NULL;
            case "none" ->
                arity(name, args, 2, 2, path)
                        ? new ArrayRules.Quantified(args[0], args[1], Quantity.NONE, elementCost(argsNode))
                        : BasicRules.NULL;
            // flagd's operations answer null for a wrong number of arguments (flagd issue #1874).
            case "starts_with", "ends_with" ->
                args.length == 2
                        ? new FlagdRules.StringAffix(args[0], args[1], name.startsWith("starts"))
                        : FlagdRules.UNUSABLE;
            case "sem_ver" -> args.length == 3 ? semVer(args) : FlagdRules.UNUSABLE;
            default -> problem(path, "unknown operation '" + name + "'");
        };
    }

    private Rule variable(Rule[] args, String path) {
        if (!arity("var", args, 0, 2, path)) {
            return BasicRules.NULL;
        }
        Rule fallback = args.length == 2 ? args[1] : BasicRules.NULL;
        if (args.length == 0) {
            return new BasicRules.Variable(new String[0], fallback);
        }
        if (BasicRules.isConstant(args[0])) {
            String text = JsonLogicValues.toText(BasicRules.constantValue(args[0]));
            String[] segments = text.isEmpty() ? new String[0] : text.split("\\.", -1);
            return new BasicRules.Variable(segments, fallback);
        }
        return new BasicRules.DynamicVariable(args[0], fallback);
    }

    private static Rule in(Rule needle, Rule haystack) {
        if (BasicRules.isConstant(haystack)
                && BasicRules.constantValue(haystack) instanceof List<?> list
                && !list.isEmpty()
                && list.stream().allMatch(String.class::isInstance)) {
            Set<String> members = new HashSet<>();
            list.forEach(member -> members.add((String) member));
            return new BasicRules.InConstantSet(needle, Set.copyOf(members));
        }
        return new BasicRules.In(needle, haystack);
    }

    /**
     * A literal operator or version that is not valid makes the comparison null, as flagd evaluates it, so files
     * flagd accepts import unchanged.
     */
    private static Rule semVer(Rule[] args) {
        if (!BasicRules.isConstant(args[1]) || !BasicRules.isConstant(args[2])) {
            return new FlagdRules.SemVer(args[0], args[1], args[2]);
        }
        var operator = SemanticVersion.Operator.fromSymbol(BasicRules.constantValue(args[1]));
        var target = FlagdRules.parseVersion(BasicRules.constantValue(args[2]));
        if (operator.isEmpty() || target.isEmpty()) {
            return FlagdRules.UNUSABLE;
        }
        return new FlagdRules.SemVerAgainst(args[0], operator.get(), target.get());
    }

    /**
     * The optional first argument is the bucketing expression unless it is itself a distribution (an array); each
     * distribution is {@code [variant]} or {@code [variant, weight]}. Without a distribution, or with one that is not
     * such an array, the operation is null, as flagd evaluates it.
     */
    private Rule fractional(JsonNode argsNode, String path) {
        if (!argsNode.isArray() || argsNode.isEmpty()) {
            return FlagdRules.UNUSABLE;
        }
        Iterator<JsonNode> elements = argsNode.elements();
        int index = 0;
        Rule bucketBy = argsNode.get(0).isArray() ? null : rule(elements.next(), path + "/0");
        if (bucketBy != null) {
            index = 1;
        }
        List<Rule> variants = new ArrayList<>();
        List<Rule> weights = new ArrayList<>();
        for (; elements.hasNext(); index++) {
            JsonNode distribution = elements.next();
            String at = path + "/" + index;
            if (!distribution.isArray() || distribution.isEmpty() || distribution.size() > 2) {
                return FlagdRules.UNUSABLE;
            }
            variants.add(rule(distribution.get(0), at + "/0"));
            weights.add(distribution.size() == 2 ? rule(distribution.get(1), at + "/1") : null);
        }
        if (variants.isEmpty()) {
            return FlagdRules.UNUSABLE;
        }
        Rule[] variantRules = variants.toArray(Rule[]::new);
        Rule[] weightRules = weights.toArray(Rule[]::new);
        return fixedFractional(bucketBy, variantRules, weightRules)
                .orElseGet(() -> new FlagdRules.Fractional(bucketBy, variantRules, weightRules));
    }

    /**
     * The precomputed form when every variant and weight is a literal. Literal weights flagd cannot use (fractions,
     * or a sum beyond 2^31-1) make the operation answer null, as flagd does, so such files still import.
     */
    private static Optional<Rule> fixedFractional(Rule bucketBy, Rule[] variants, Rule[] weights) {
        Object[] names = new Object[variants.length];
        long[] bounds = new long[variants.length];
        long total = 0;
        for (int i = 0; i < variants.length; i++) {
            boolean constantWeight = weights[i] == null || BasicRules.isConstant(weights[i]);
            if (!BasicRules.isConstant(variants[i]) || !constantWeight) {
                return Optional.empty();
            }
            names[i] = BasicRules.constantValue(variants[i]);
            long weight = FlagdRules.weight(weights[i] == null ? null : BasicRules.constantValue(weights[i]));
            if (!FlagdRules.isVariantName(names[i]) || weight < 0) {
                return Optional.of(FlagdRules.UNUSABLE);
            }
            total += weight;
            bounds[i] = total;
        }
        if (total > FlagdRules.MAX_TOTAL_WEIGHT) {
            return Optional.of(FlagdRules.UNUSABLE);
        }
        return Optional.of(new FlagdRules.FixedFractional(bucketBy, names, bounds, total));
    }

    /** Escapes a key for a JSON Pointer segment (RFC 6901). */
    public static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
