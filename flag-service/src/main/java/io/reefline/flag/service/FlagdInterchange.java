package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reefline.flag.domain.FlagDefinition;
import io.reefline.flag.domain.FlagSet;
import io.reefline.flag.domain.FlagState;
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
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * flagd interop: an environment exported as a flagd flag-definition file, and a file imported into an environment.
 * An import is validated whole before anything is stored, applied in one transaction, and adds or updates the flags
 * it names; flags it does not name keep their configuration.
 */
@ApplicationScoped
public class FlagdInterchange {

    /** What an import changed. */
    public record ImportResult(String environment, List<String> created, List<String> updated) {}

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
            if (config != null) {
                definitions.put(flag.key, compilation.definition(flag, config, evaluators, ""));
            }
        }
        return FlagdDocument.write(new FlagSet(definitions, evaluators, environment.metadata));
    }

    @Transactional
    public ImportResult importDocument(String environmentKey, JsonNode document, String actor) {
        EnvironmentEntity environment = flags.environment(environmentKey);
        FlagSet flagSet;
        try {
            flagSet = FlagdDocument.parse(document);
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
        environment.evaluators = asMap(mapper.valueToTree(flagSet.sharedEvaluators()));
        environment.metadata = new LinkedHashMap<>(flagSet.metadata());
        List<String> created = new java.util.ArrayList<>();
        List<String> updated = new java.util.ArrayList<>();
        for (FlagDefinition definition : flagSet.flags().values()) {
            if (FlagEntity.findById(definition.key()) == null) {
                createFlag(definition, actor);
                created.add(definition.key());
            } else {
                updateVariants(definition, environmentKey, actor);
                updated.add(definition.key());
            }
            FlagEnvironmentEntity config =
                    FlagEnvironmentEntity.find(definition.key(), environmentKey).orElseThrow();
            Map<String, Object> before = AuditTrail.state(config);
            boolean wasUniform = config.uniform();
            boolean wasEnabled = config.enabled;
            String previousDefault = config.defaultVariant;
            config.enabled = definition.state() == FlagState.ENABLED;
            config.defaultVariant = definition.defaultVariant();
            if (definition.hasTargeting()) {
                config.targetingKind = FlagEnvironmentEntity.JSON_LOGIC;
                config.targeting = asMap(definition.targeting().source());
            } else {
                config.targetingKind = FlagEnvironmentEntity.NO_TARGETING;
                config.targeting = null;
            }
            FlagService.touch(config, wasUniform, wasEnabled, previousDefault, clock.instant());
            audit.record(definition.key(), environmentKey, actor, "import", before, AuditTrail.state(config));
        }
        FlagChangeCounter.bump();
        return new ImportResult(environmentKey, created, updated);
    }

    private void createFlag(FlagDefinition definition, String actor) {
        FlagEntity flag = new FlagEntity();
        flag.key = definition.key();
        flag.name = definition.key();
        flag.type = definition.type().kind();
        flag.variants = asMap(mapper.valueToTree(definition.variants()));
        flag.defaultVariant = definition.defaultVariant() != null
                ? definition.defaultVariant()
                : definition.variants().keySet().iterator().next();
        flag.metadata = new LinkedHashMap<>(definition.metadata());
        flag.owner = actor;
        flag.createdAt = clock.instant();
        flag.persist();
        for (EnvironmentEntity environment : EnvironmentEntity.<EnvironmentEntity>listAll()) {
            flags.newConfig(flag, environment.key).persist();
        }
        audit.record(flag.key, null, actor, "import", null, AuditTrail.state(flag));
    }

    /** A file may change a flag's variants, as long as the other environments' configuration still fits them. */
    private void updateVariants(FlagDefinition definition, String environmentKey, String actor) {
        FlagEntity flag = FlagEntity.findById(definition.key());
        Map<String, Object> variants = asMap(mapper.valueToTree(definition.variants()));
        if (variants.equals(flag.variants) && flag.type.equals(definition.type().kind())) {
            return;
        }
        Map<String, Object> before = AuditTrail.state(flag);
        flag.variants = variants;
        flag.type = definition.type().kind();
        if (!variants.containsKey(flag.defaultVariant)) {
            flag.defaultVariant = variants.keySet().iterator().next();
        }
        for (FlagEnvironmentEntity config : FlagEnvironmentEntity.ofFlag(flag.key)) {
            if (config.environmentKey.equals(environmentKey)) {
                continue; // the file replaces this environment's configuration
            }
            EnvironmentEntity other = EnvironmentEntity.findById(config.environmentKey);
            try {
                compilation.definition(flag, config, compilation.evaluators(other.evaluators), "");
            } catch (ProblemException e) {
                String path = "/flags/" + definition.key() + "/variants";
                throw new ProblemException(Problem.validation(
                        path + ": no longer fit the flag's configuration in " + config.environmentKey + " ("
                                + e.problem().detail() + ")",
                        List.of(new FieldViolation(
                                path, "no longer fit the configuration in " + config.environmentKey))));
            }
        }
        audit.record(flag.key, null, actor, "update", before, AuditTrail.state(flag));
    }

    private Map<String, Object> asMap(JsonNode node) {
        return mapper.convertValue(
                node, mapper.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
    }
}
