package io.reefline.flag.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagState;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.flagd.FlagdDocument;
import io.reefline.flag.domain.flagd.InvalidFlagdDocumentException;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagChangeCounter;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.platform.problem.FieldViolation;
import io.reefline.platform.problem.Problem;
import io.reefline.platform.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * flagd interop: an environment exported as a flagd flag-definition file, and a file imported into an environment.
 * An import is refused only for what flagd's schema refuses (validated whole before anything is stored); what flagd
 * loads anyway but is probably a mistake (targeting that does not compile, variants never served) is stored as given,
 * with warnings kept per flag and environment and returned in the answer. It is applied in one transaction and adds
 * or updates the flags it names, each with the file's variants, default variant, targeting and metadata for this
 * environment only; flags it does not name, and other environments, keep their configuration. A flag the file creates
 * is a disabled placeholder elsewhere, left out of those environments' exports until configured there. So
 * per-environment flagd files import unchanged, and each environment exports back equal to its file.
 */
@ApplicationScoped
public class FlagdInterchange {

    /** One warning of an import: where in the file, and what. */
    public record ImportWarning(String path, String message) {}

    /** What an import changed, and what in the file flagd would load but is probably a mistake. */
    public record ImportResult(
            String environment, List<String> created, List<String> updated, List<ImportWarning> warnings) {}

    private final FlagService flags;
    private final FlagCompilation compilation;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final Clock clock;

    FlagdInterchange(
            FlagService flags, FlagCompilation compilation, AuditTrail audit, ObjectMapper mapper, Clock clock) {
        this.flags = flags;
        this.compilation = compilation;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Transactional
    public ObjectNode export(String environmentKey) {
        EnvironmentEntity environment = flags.environment(environmentKey);
        Map<String, JsonNode> evaluators = compilation.evaluators(environment.evaluators);
        Map<String, FlagEnvironmentEntity> configs = FlagService.configsByFlag(environmentKey);
        Map<String, FlagDefinition> definitions = new LinkedHashMap<>();
        for (FlagEntity flag : FlagService.flags()) {
            FlagEnvironmentEntity config = configs.get(flag.key);
            if (config != null && config.declared) {
                definitions.put(flag.key, compilation.definition(flag, config, evaluators, "", true));
            }
        }
        return FlagdDocument.write(new FlagSet(definitions, evaluators, environment.metadata));
    }

    /** An environment's flagd file with its ETag, which moves whenever what the file says changes. */
    public record Export(ObjectNode document, String etag) {}

    @Transactional
    public Export exportWithTag(String environmentKey) {
        ObjectNode document = export(environmentKey);
        return new Export(document, etagOf(document));
    }

    /**
     * The ETag value of an exported flagd file: a digest of its bytes, so it names exactly what the file says,
     * whichever flag, configuration or environment write changed it.
     */
    String etagOf(ObjectNode document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(mapper.writeValueAsBytes(document));
            return "flagd-" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot digest a flagd export", e);
        }
    }

    /**
     * Imports a file into an environment, over what it read: {@code expected} are the If-Match values (the export's
     * ETag, or empty for {@code *}); the environment is locked while the current export is compared, so two imports
     * cannot both apply over the same version.
     */
    @Transactional
    public ImportResult importDocument(String environmentKey, JsonNode document, Set<String> expected, String actor) {
        flags.environment(environmentKey);
        EnvironmentEntity environment = EnvironmentEntity.findById(environmentKey, LockModeType.PESSIMISTIC_WRITE);
        if (!expected.isEmpty()) {
            FlagService.requireCurrent("The flagd file of " + environmentKey, etagOf(export(environmentKey)), expected);
        }
        FlagdDocument.Loaded loaded;
        try {
            loaded = FlagdDocument.load(document);
        } catch (InvalidFlagdDocumentException e) {
            List<FieldViolation> violations = e.problems().stream()
                    .map(p -> new FieldViolation(p.path().isEmpty() ? "/" : p.path(), p.message()))
                    .toList();
            throw new ProblemException(Problem.validation(
                    "The flagd document was not imported: "
                            + violations.stream()
                                    .map(v -> v.field() + ": " + v.message())
                                    .collect(Collectors.joining("; ")),
                    violations));
        }
        FlagSet flagSet = loaded.flagSet();
        environment.evaluators = asMap(mapper.valueToTree(flagSet.sharedEvaluators()));
        environment.metadata = new LinkedHashMap<>(flagSet.metadata());
        List<String> created = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        for (FlagDefinition definition : flagSet.flags().values()) {
            if (FlagEntity.findById(definition.key()) == null) {
                createFlag(definition, actor);
                created.add(definition.key());
            } else {
                updated.add(definition.key());
            }
            FlagEnvironmentEntity config =
                    FlagEnvironmentEntity.find(definition.key(), environmentKey).orElseThrow();
            Map<String, Object> before = AuditTrail.state(config);
            boolean wasUniform = config.uniform();
            boolean wasEnabled = config.enabled;
            String previousDefault = config.defaultVariant;
            config.declared = true;
            config.enabled = definition.state() == FlagState.ENABLED;
            config.variants = asMap(FlagValues.toJson(definition.variants()));
            config.defaultVariant = definition.defaultVariant();
            config.metadata = asMap(FlagValues.toJson(definition.metadata()));
            if (definition.hasTargeting()) {
                config.targetingKind = FlagEnvironmentEntity.JSON_LOGIC;
                config.targeting = asMap(definition.targeting().source());
            } else {
                config.targetingKind = FlagEnvironmentEntity.NO_TARGETING;
                config.targeting = null;
            }
            config.warnings = new ArrayList<>(loaded.warningsOf(definition.key()).stream()
                    .map(FlagCompilation::warning)
                    .toList());
            FlagService.touch(config, wasUniform, wasEnabled, previousDefault, clock.instant());
            audit.record(definition.key(), environmentKey, actor, "import", before, AuditTrail.state(config));
        }
        // Flags this file does not name may $ref evaluators it changed: their warnings follow the new evaluators.
        Map<String, JsonNode> evaluators = compilation.evaluators(environment.evaluators);
        for (FlagEnvironmentEntity config : FlagEnvironmentEntity.ofEnvironment(environmentKey)) {
            if (!flagSet.flags().containsKey(config.flagKey)
                    && FlagEnvironmentEntity.JSON_LOGIC.equals(config.targetingKind)) {
                config.warnings = new ArrayList<>(compilation.warnings(config, evaluators));
            }
        }
        FlagChangeCounter.bump();
        List<ImportWarning> warnings = loaded.warnings().stream()
                .map(w -> new ImportWarning(w.path(), w.message()))
                .toList();
        return new ImportResult(environmentKey, created, updated, warnings);
    }

    /** A flag first seen in a flagd file: its variants become the ones new environments start with. */
    private void createFlag(FlagDefinition definition, String actor) {
        FlagEntity flag = new FlagEntity();
        flag.key = definition.key();
        flag.name = definition.key();
        flag.type = definition.type().kind();
        flag.variants = asMap(FlagValues.toJson(definition.variants()));
        flag.defaultVariant = definition.defaultVariant() != null
                ? definition.defaultVariant()
                : definition.variants().keySet().iterator().next();
        flag.metadata = new LinkedHashMap<>(definition.metadata());
        flag.owner = actor;
        flag.createdAt = clock.instant();
        flag.persist();
        for (EnvironmentEntity environment : EnvironmentEntity.<EnvironmentEntity>listAll()) {
            FlagEnvironmentEntity placeholder = flags.newConfig(flag, environment.key);
            // Other environments' files do not name it: they get it disabled, but do not export it.
            placeholder.declared = false;
            placeholder.persist();
        }
        audit.record(flag.key, null, actor, "import", null, AuditTrail.state(flag));
    }

    private Map<String, Object> asMap(JsonNode node) {
        return mapper.convertValue(
                node, mapper.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
    }
}
