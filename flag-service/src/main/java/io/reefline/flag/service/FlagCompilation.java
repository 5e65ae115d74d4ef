package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.flagd.DocumentProblem;
import io.reefline.flag.domain.flagd.FlagLint;
import io.reefline.flag.domain.targeting.Targeting;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import io.reefline.flag.domain.targeting.UncompiledTargeting;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns stored flags and their per-environment configuration into the domain's {@link FlagDefinition}s. Writes use
 * it to refuse configuration that would not evaluate (a 400 naming the field), and snapshot builds use it to compile
 * targeting once per change. Raw JsonLogic stored with warnings (a flagd import flagd would load, whose targeting does
 * not compile here) is not refused when read back: it becomes {@link UncompiledTargeting}, which evaluates to ERROR /
 * PARSE_ERROR as in flagd.
 */
@ApplicationScoped
public class FlagCompilation {

    private final ObjectMapper mapper;

    FlagCompilation(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The flag as served in one environment; {@code field} prefixes the names of rejected fields. JsonLogic that does
     * not compile is refused.
     */
    public FlagDefinition definition(
            FlagEntity flag, FlagEnvironmentEntity config, Map<String, JsonNode> evaluators, String field) {
        return definition(flag, config, evaluators, field, false);
    }

    /**
     * The flag as served in one environment; with {@code lenient}, JsonLogic that does not compile is kept as written
     * and fails at evaluation (flagd's behaviour) instead of being refused.
     */
    public FlagDefinition definition(
            FlagEntity flag,
            FlagEnvironmentEntity config,
            Map<String, JsonNode> evaluators,
            String field,
            boolean lenient) {
        Map<String, Object> variants = variants(config);
        if (config.defaultVariant != null && !variants.containsKey(config.defaultVariant)) {
            throw ProblemException.badRequest(
                    field + "defaultVariant",
                    "'" + config.defaultVariant + "' is not one of the variants " + variants.keySet());
        }
        Targeting targeting = targeting(config, variants.keySet(), evaluators, field, lenient);
        return new FlagDefinition(
                flag.key,
                config.enabled ? FlagState.ENABLED : FlagState.DISABLED,
                variants,
                config.defaultVariant,
                targeting,
                metadata(flag, config));
    }

    /** The flag's metadata in one environment: the environment's own (from its flagd file) or else the flag's. */
    public static Map<String, Object> metadata(FlagEntity flag, FlagEnvironmentEntity config) {
        return config.metadata != null ? config.metadata : flag.metadata;
    }

    /** The variants a new environment starts with. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> variants(FlagEntity flag) {
        return (Map<String, Object>) FlagValues.fromJson(mapper.valueToTree(flag.variants));
    }

    /** The variants of the flag in one environment. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> variants(FlagEnvironmentEntity config) {
        return (Map<String, Object>) FlagValues.fromJson(mapper.valueToTree(config.variants));
    }

    /**
     * What flagd would accept but is probably a mistake in one environment's configuration: targeting that does not
     * compile, JsonLogic that returns names that are not variants, variants it never serves. Paths are relative to the
     * flag as flagd writes it ({@code /targeting/if/0}, {@code /variants/x}).
     */
    public List<Map<String, String>> warnings(FlagEnvironmentEntity config, Map<String, JsonNode> evaluators) {
        List<DocumentProblem> found = new ArrayList<>();
        JsonNode source = null;
        if (FlagEnvironmentEntity.JSON_LOGIC.equals(config.targetingKind)) {
            source = tree(config.targeting);
            try {
                new TargetingCompiler(evaluators).compile(source);
            } catch (TargetingCompileException e) {
                e.problems().forEach(p -> found.add(new DocumentProblem("/targeting" + p.path(), p.message())));
            }
        }
        // Structured targeting is built by the editor and release plans, which check their variants themselves (a plan
        // leaves its variant unserved on purpose until its first phase), so only raw JsonLogic is linted.
        return FlagLint.merged(found, FlagLint.check(variants(config), config.defaultVariant, source, evaluators))
                .stream()
                .map(FlagCompilation::warning)
                .toList();
    }

    /** One stored warning. */
    public static Map<String, String> warning(DocumentProblem problem) {
        Map<String, String> warning = new LinkedHashMap<>();
        warning.put("path", problem.path());
        warning.put("message", problem.message());
        return warning;
    }

    public StructuredTargetingForm structured(FlagEnvironmentEntity config) {
        return mapper.convertValue(config.targeting, StructuredTargetingForm.class);
    }

    public JsonNode tree(Object value) {
        return mapper.valueToTree(value);
    }

    public Map<String, JsonNode> evaluators(Map<String, Object> stored) {
        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        stored.forEach((name, rule) -> evaluators.put(name, mapper.valueToTree(rule)));
        return evaluators;
    }

    private Targeting targeting(
            FlagEnvironmentEntity config,
            Set<String> variants,
            Map<String, JsonNode> evaluators,
            String field,
            boolean lenient) {
        switch (config.targetingKind) {
            case FlagEnvironmentEntity.STRUCTURED -> {
                StructuredTargetingForm form = structured(config);
                for (String[] reference : form.variantReferences(field + "structured")) {
                    if (!variants.contains(reference[1])) {
                        throw ProblemException.badRequest(
                                reference[0], "'" + reference[1] + "' is not one of the variants " + variants);
                    }
                }
                return form.toDomain(field + "structured").compile();
            }
            case FlagEnvironmentEntity.JSON_LOGIC -> {
                JsonNode source = tree(config.targeting);
                try {
                    TargetingCompiler compiler = new TargetingCompiler(evaluators);
                    if (lenient) {
                        // As flagd: a $ref to a shared evaluator that does not exist fails at evaluation (PARSE_ERROR).
                        compiler = compiler.deferringUnresolvedReferences();
                    }
                    return compiler.compile(source);
                } catch (TargetingCompileException e) {
                    if (lenient && !e.overBudget()) {
                        return UncompiledTargeting.of(source, e.getMessage());
                    }
                    List<FieldViolation> violations = e.problems().stream()
                            .map(p -> new FieldViolation(field + "jsonLogic" + p.path(), p.message()))
                            .toList();
                    String detail = violations.stream()
                            .map(v -> v.field() + ": " + v.message())
                            .collect(Collectors.joining("; "));
                    throw new ProblemException(Problem.validation(detail, violations));
                }
            }
            default -> {
                return null;
            }
        }
    }

    /**
     * Whether the targeting buckets by the targeting key ({@code fractional} without its own bucketing value, or
     * with {@code targetingKey} as it): without one in the context such a rule cannot place the subject, and
     * evaluation reports TARGETING_KEY_MISSING instead of a silent default.
     */
    public static boolean bucketsByTargetingKey(JsonNode node, Map<String, JsonNode> evaluators, Set<String> seen) {
        if (node == null) {
            return false;
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (bucketsByTargetingKey(element, evaluators, seen)) {
                    return true;
                }
            }
            return false;
        }
        if (!node.isObject()) {
            return false;
        }
        JsonNode fractional = node.get("fractional");
        if (fractional != null && fractional.isArray() && !fractional.isEmpty()) {
            JsonNode first = fractional.get(0);
            if (first.isArray()
                    || first.isObject()
                            && "targetingKey".equals(first.path("var").asText(null))) {
                return true;
            }
        }
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual() && seen.add(ref.textValue())) {
            return bucketsByTargetingKey(evaluators.get(ref.textValue()), evaluators, seen);
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            if (bucketsByTargetingKey(it.next(), evaluators, seen)) {
                return true;
            }
        }
        return false;
    }
}
