package io.reefline.flag.domain.flagd;

import static io.reefline.flag.domain.targeting.TargetingCompiler.escape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.ValueType;
import io.reefline.flag.domain.targeting.Targeting;
import io.reefline.flag.domain.targeting.TargetingCompileException;
import io.reefline.flag.domain.targeting.TargetingCompiler;
import io.reefline.flag.domain.targeting.TargetingProblem;
import io.reefline.flag.domain.targeting.UncompiledTargeting;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * flagd's flag-definition format ({@value #SCHEMA}): reading a document into a {@link FlagSet} and writing one back.
 *
 * <p>Reading validates the schema's rules by hand (no schema library, no network): {@code flags} is required;
 * every flag needs a {@code state} of ENABLED or DISABLED and a non-empty {@code variants} object whose values share
 * one type (boolean, string, number or object); {@code defaultVariant} is optional (absent or null means the caller's
 * code default) but must name a variant; {@code targeting} is an object of known operations; {@code $ref}s name
 * existing {@code $evaluators} without cycles; metadata values are strings, numbers or booleans. Every problem is
 * collected with the JSON Pointer of the bad element, and the document is accepted whole or not at all.
 *
 * <p>Targeting is a different matter: flagd loads any JsonLogic object and finds out at evaluation time whether it
 * can apply it. {@link #load} does the same: an unknown {@code $ref} or operation, a wrong argument count, or a
 * shared evaluator that does not compile is a warning, and the flag keeps its targeting as written (it evaluates to
 * ERROR / PARSE_ERROR, as in flagd, when it cannot be compiled). {@link FlagLint}'s findings (variants never served,
 * targeting returning names that are not variants) are warnings too. {@link #parse} is the strict reading: any
 * targeting that does not compile rejects the document.
 */
public final class FlagdDocument {

    public static final String SCHEMA = "https://flagd.dev/schema/v0/flags.json";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A document as flagd would load it, with what is probably a mistake in it. */
    public record Loaded(FlagSet flagSet, List<DocumentProblem> warnings) {
        public Loaded {
            warnings = List.copyOf(warnings);
        }

        /** The warnings about one flag, with paths relative to the flag (e.g. {@code /targeting/if/0}). */
        public List<DocumentProblem> warningsOf(String flagKey) {
            String prefix = "/flags/" + escape(flagKey);
            return warnings.stream()
                    .filter(w -> w.path().equals(prefix) || w.path().startsWith(prefix + "/"))
                    .map(w -> new DocumentProblem(w.path().substring(prefix.length()), w.message()))
                    .toList();
        }

        /** The warnings about the document's shared evaluators. */
        public List<DocumentProblem> evaluatorWarnings() {
            return warnings.stream()
                    .filter(w -> w.path().startsWith("/$evaluators"))
                    .toList();
        }
    }

    private final List<DocumentProblem> problems = new ArrayList<>();
    private final List<DocumentProblem> warnings = new ArrayList<>();
    private final boolean lenient;

    private FlagdDocument(boolean lenient) {
        this.lenient = lenient;
    }

    /**
     * The flag set a flagd document defines, or every problem that stops it from being imported; targeting that does
     * not compile is such a problem here.
     */
    public static FlagSet parse(JsonNode document) throws InvalidFlagdDocumentException {
        return new FlagdDocument(false).read(document);
    }

    /**
     * The flag set a flagd document defines as flagd loads it: refused only for what flagd's schema refuses; targeting
     * that does not compile and other likely mistakes come back as warnings.
     */
    public static Loaded load(JsonNode document) throws InvalidFlagdDocumentException {
        FlagdDocument reader = new FlagdDocument(true);
        FlagSet flagSet = reader.read(document);
        return new Loaded(flagSet, reader.warnings);
    }

    /** The flagd document of a flag set; {@code parse(write(set))} equals {@code set}. */
    public static ObjectNode write(FlagSet flagSet) {
        ObjectNode document = NODES.objectNode();
        document.put("$schema", SCHEMA);
        ObjectNode flags = document.putObject("flags");
        flagSet.flags().forEach((key, flag) -> flags.set(key, writeFlag(flag)));
        if (!flagSet.sharedEvaluators().isEmpty()) {
            ObjectNode evaluators = document.putObject("$evaluators");
            flagSet.sharedEvaluators().forEach((name, rule) -> evaluators.set(name, rule.deepCopy()));
        }
        if (!flagSet.metadata().isEmpty()) {
            document.set("metadata", FlagValues.toJson(flagSet.metadata()));
        }
        return document;
    }

    private static ObjectNode writeFlag(FlagDefinition flag) {
        ObjectNode node = NODES.objectNode();
        node.put("state", flag.state().name());
        node.set("variants", FlagValues.toJson(flag.variants()));
        if (flag.defaultVariant() != null) {
            node.put("defaultVariant", flag.defaultVariant());
        }
        if (flag.hasTargeting()) {
            node.set("targeting", flag.targeting().source());
        }
        if (!flag.metadata().isEmpty()) {
            node.set("metadata", FlagValues.toJson(flag.metadata()));
        }
        return node;
    }

    private void problem(String path, String message) {
        problems.add(new DocumentProblem(path, message));
    }

    /** A problem of targeting: refused when strict, a warning flagd would also load when lenient. */
    private void targetingProblem(String path, String message) {
        (lenient ? warnings : problems).add(new DocumentProblem(path, message));
    }

    private FlagSet read(JsonNode document) throws InvalidFlagdDocumentException {
        if (document == null || !document.isObject()) {
            problem("", "a flagd document must be a JSON object");
            throw new InvalidFlagdDocumentException(problems);
        }
        Map<String, JsonNode> evaluators = readEvaluators(document.get("$evaluators"));
        TargetingCompiler compiler = new TargetingCompiler(evaluators);
        for (String name : evaluators.keySet()) {
            for (TargetingProblem p : compiler.check(name)) {
                targetingProblem("/$evaluators/" + escape(name) + p.path(), p.message());
            }
        }
        Map<String, Object> setMetadata = readMetadata(document.get("metadata"), "/metadata");
        Map<String, FlagDefinition> flags = new LinkedHashMap<>();
        JsonNode flagsNode = document.get("flags");
        if (flagsNode == null) {
            problem("/flags", "required property is missing");
        } else if (flagsNode.isArray()) {
            // flagd's own import format also allows a list of flags, each naming its key.
            for (int i = 0; i < flagsNode.size(); i++) {
                JsonNode item = flagsNode.get(i);
                JsonNode key = item.get("key");
                if (!item.isObject()
                        || key == null
                        || !key.isTextual()
                        || key.textValue().isEmpty()) {
                    problem("/flags/" + i, "a flag in a list of flags must be an object with a non-empty key");
                    continue;
                }
                if (flags.containsKey(key.textValue())) {
                    problem("/flags/" + i + "/key", "flag '" + key.textValue() + "' is defined twice");
                    continue;
                }
                ObjectNode flag = ((ObjectNode) item).deepCopy();
                flag.remove("key");
                FlagDefinition definition = readFlag(key.textValue(), flag, compiler, evaluators);
                if (definition != null) {
                    flags.put(key.textValue(), definition);
                }
            }
        } else if (!flagsNode.isObject()) {
            problem("/flags", "must be an object of flags by key");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = flagsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                FlagDefinition flag = readFlag(entry.getKey(), entry.getValue(), compiler, evaluators);
                if (flag != null) {
                    flags.put(entry.getKey(), flag);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidFlagdDocumentException(problems);
        }
        return new FlagSet(flags, evaluators, setMetadata);
    }

    private Map<String, JsonNode> readEvaluators(JsonNode node) {
        Map<String, JsonNode> evaluators = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return evaluators;
        }
        if (!node.isObject()) {
            problem("/$evaluators", "must be an object of shared evaluators by name");
            return evaluators;
        }
        node.fields().forEachRemaining(entry -> {
            String path = "/$evaluators/" + escape(entry.getKey());
            if (entry.getKey().isEmpty()) {
                problem(path, "a shared evaluator needs a non-empty name");
            } else if (!entry.getValue().isObject()) {
                problem(path, "a shared evaluator must be a JsonLogic object");
            } else {
                evaluators.put(entry.getKey(), entry.getValue());
            }
        });
        return evaluators;
    }

    private FlagDefinition readFlag(
            String key, JsonNode node, TargetingCompiler compiler, Map<String, JsonNode> evaluators) {
        String path = "/flags/" + escape(key);
        int problemsBefore = problems.size();
        int warningsBefore = warnings.size();
        if (key.isEmpty()) {
            problem(path, "a flag key must not be empty");
        }
        if (!node.isObject()) {
            problem(path, "a flag must be an object");
            return null;
        }
        FlagState state = readState(node.get("state"), path + "/state");
        Map<String, Object> variants = readVariants(node.get("variants"), path + "/variants");
        String defaultVariant = readDefaultVariant(node.get("defaultVariant"), variants, path + "/defaultVariant");
        Targeting targeting = readTargeting(node.get("targeting"), compiler, path + "/targeting");
        Map<String, Object> metadata = readMetadata(node.get("metadata"), path + "/metadata");
        if (problems.size() > problemsBefore) {
            return null;
        }
        JsonNode source = targeting == null ? null : node.get("targeting");
        List<DocumentProblem> compileWarnings = new ArrayList<>(warnings.subList(warningsBefore, warnings.size()));
        warnings.subList(warningsBefore, warnings.size()).clear();
        List<DocumentProblem> lint = FlagLint.check(variants, defaultVariant, source, evaluators).stream()
                .map(w -> new DocumentProblem(path + w.path(), w.message()))
                .toList();
        warnings.addAll(FlagLint.merged(compileWarnings, lint));
        return new FlagDefinition(key, state, variants, defaultVariant, targeting, metadata);
    }

    private FlagState readState(JsonNode node, String path) {
        if (node == null) {
            problem(path, "required property is missing");
        } else if (!node.isTextual() || !("ENABLED".equals(node.textValue()) || "DISABLED".equals(node.textValue()))) {
            problem(path, "must be \"ENABLED\" or \"DISABLED\", not " + node);
        } else {
            return FlagState.valueOf(node.textValue());
        }
        return null;
    }

    private Map<String, Object> readVariants(JsonNode node, String path) {
        Map<String, Object> variants = new LinkedHashMap<>();
        if (node == null) {
            problem(path, "required property is missing");
            return variants;
        }
        if (!node.isObject()) {
            problem(path, "must be an object of variant values by name");
            return variants;
        }
        if (node.isEmpty()) {
            problem(path, "a flag needs at least one variant");
            return variants;
        }
        ValueType kind = null;
        String firstName = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> variant = it.next();
            String at = path + "/" + escape(variant.getKey());
            Object value = FlagValues.fromJson(variant.getValue());
            ValueType type = ValueType.typeOf(value);
            if (variant.getKey().isEmpty()) {
                problem(at, "a variant name must not be empty");
            } else if (type == null) {
                problem(at, "a variant must be a boolean, string, number or object, not " + variant.getValue());
            } else if (kind != null && !kind.sameKindAs(type)) {
                problem(
                        at,
                        "is a " + type.kind() + " but variant '" + firstName + "' is a " + kind.kind()
                                + "; all variants of a flag must have one type");
            } else {
                if (kind == null) {
                    kind = type;
                    firstName = variant.getKey();
                }
                variants.put(variant.getKey(), value);
            }
        }
        return variants;
    }

    private String readDefaultVariant(JsonNode node, Map<String, Object> variants, String path) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            problem(path, "must be the name of a variant or null");
            return null;
        }
        if (!variants.isEmpty() && !variants.containsKey(node.textValue())) {
            problem(path, "'" + node.textValue() + "' is not one of the variants " + variants.keySet());
        }
        return node.textValue();
    }

    private Targeting readTargeting(JsonNode node, TargetingCompiler compiler, String path) {
        if (node == null || node.isNull() || node.isObject() && node.isEmpty()) {
            return null;
        }
        if (!node.isObject()) {
            problem(path, "targeting must be a JsonLogic object");
            return null;
        }
        try {
            return compiler.compile(node);
        } catch (TargetingCompileException e) {
            if (e.overBudget()) {
                // Valid, but beyond the evaluation budget: kept, it could stall evaluation, so it is refused even here.
                e.problems().forEach(p -> problem(path + p.path(), p.message()));
                return null;
            }
            e.problems().forEach(p -> targetingProblem(path + p.path(), p.message()));
            return lenient ? UncompiledTargeting.of(node, e.getMessage()) : null;
        }
    }

    private Map<String, Object> readMetadata(JsonNode node, String path) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            problem(path, "metadata must be an object");
            return metadata;
        }
        node.fields().forEachRemaining(entry -> {
            JsonNode value = entry.getValue();
            if (value.isTextual() || value.isNumber() || value.isBoolean()) {
                metadata.put(entry.getKey(), FlagValues.fromJson(value));
            } else {
                problem(path + "/" + escape(entry.getKey()), "metadata values must be strings, numbers or booleans");
            }
        });
        return metadata;
    }
}
