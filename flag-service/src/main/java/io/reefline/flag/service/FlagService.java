package io.reefline.flag.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.flag.domain.FlagValues;
import io.reefline.flag.domain.ValueType;
import io.reefline.flag.persistence.EnvironmentEntity;
import io.reefline.flag.persistence.FlagChangeCounter;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import io.reefline.flag.rest.EnvironmentConfigRequest;
import io.reefline.flag.rest.FlagRequest;
import io.reefline.platform.problem.ProblemException;
import io.reefline.platform.problem.RequestValidation;
import io.reefline.platform.rest.IfMatch;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every change of flags and environments: checked against the domain (so nothing that would not evaluate is
 * stored), guarded by the caller's expected ETag, audited and announced to the snapshots in one transaction.
 */
@ApplicationScoped
public class FlagService {

    /** Flag and environment keys: safe in URLs, flagd files and SDK code. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private static final Set<String> TYPES = Set.of("boolean", "string", "number", "object");

    private final FlagCompilation compilation;
    private final AuditTrail audit;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final RequestValidation validation;

    FlagService(
            FlagCompilation compilation,
            AuditTrail audit,
            ObjectMapper mapper,
            Clock clock,
            RequestValidation validation) {
        this.compilation = compilation;
        this.audit = audit;
        this.mapper = mapper;
        this.clock = clock;
        this.validation = validation;
    }

    /** An environment and whether this call created it. */
    public record EnvironmentChange(EnvironmentEntity environment, boolean created) {}

    @Transactional
    /**
     * Creates the environment, or renames it: a rename needs {@code ifMatch} (the raw If-Match header) naming the
     * environment's current ETag or {@code *} (428 without it, 412 when stale); creating one needs none.
     */
    public EnvironmentChange putEnvironment(String key, String name, String ifMatch) {
        if (!KEY.matcher(key).matches()) {
            throw ProblemException.badRequest("env", "must be letters, digits, '.', '_' or '-' (at most 100)");
        }
        EnvironmentEntity environment = EnvironmentEntity.findById(key, LockModeType.PESSIMISTIC_WRITE);
        boolean created = environment == null;
        if (!created) {
            requireCurrent(
                    "Environment " + key,
                    environment.etagValue(),
                    IfMatch.required(ifMatch, "Environment " + key + " (a rename)"));
        }
        if (created) {
            environment = new EnvironmentEntity();
            environment.key = key;
            environment.createdAt = clock.instant();
            environment.name = name;
            environment.persist();
            // Every flag exists in every environment, off until someone turns it on there.
            for (FlagEntity flag : FlagEntity.<FlagEntity>listAll()) {
                newConfig(flag, key).persist();
            }
        } else {
            environment.name = name;
        }
        FlagChangeCounter.bump();
        // Flush now so the returned ETag carries the new version.
        EnvironmentEntity.flush();
        return new EnvironmentChange(environment, created);
    }

    public EnvironmentEntity environment(String key) {
        EnvironmentEntity environment = EnvironmentEntity.findById(key);
        if (environment == null) {
            throw ProblemException.notFound("Environment", key);
        }
        return environment;
    }

    public FlagEntity flag(String key) {
        FlagEntity flag = FlagEntity.findById(key);
        if (flag == null) {
            throw ProblemException.notFound("Flag", key);
        }
        return flag;
    }

    public FlagEnvironmentEntity config(String flagKey, String environmentKey) {
        flag(flagKey);
        environment(environmentKey);
        return FlagEnvironmentEntity.find(flagKey, environmentKey)
                .orElseThrow(() -> ProblemException.notFound("Configuration of flag " + flagKey, environmentKey));
    }

    @Transactional
    public FlagEntity create(FlagRequest request, String actor) {
        validation.require(request);
        if (request.key() == null || !KEY.matcher(request.key()).matches()) {
            throw ProblemException.badRequest("key", "must be letters, digits, '.', '_' or '-' (at most 100)");
        }
        if (FlagEntity.findById(request.key()) != null) {
            throw ProblemException.conflict("A flag with key '" + request.key() + "' already exists");
        }
        FlagEntity flag = new FlagEntity();
        flag.key = request.key();
        flag.createdAt = clock.instant();
        describe(flag, request, actor);
        flag.persist();
        for (EnvironmentEntity environment : EnvironmentEntity.<EnvironmentEntity>listAll()) {
            newConfig(flag, environment.key).persist();
        }
        audit.record(flag.key, null, actor, "create", null, AuditTrail.state(flag));
        FlagChangeCounter.bump();
        return flag;
    }

    @Transactional
    public FlagEntity update(String key, FlagRequest request, Set<String> expected, String actor) {
        validation.require(request);
        if (request.key() != null && !request.key().equals(key)) {
            throw ProblemException.badRequest("key", "a flag's key cannot change; it must be '" + key + "' or absent");
        }
        FlagEntity flag = flag(key);
        requireCurrent("Flag " + key, flag.etagValue(), expected);
        Map<String, Object> before = AuditTrail.state(flag);
        Map<String, Object> previousVariants = new LinkedHashMap<>(flag.variants);
        describe(flag, request, flag.owner);
        // Changed variants become every environment's variants, and must still serve each one's configuration.
        // Unchanged ones leave each environment's own variants (e.g. from its flagd file) alone.
        if (!previousVariants.equals(flag.variants)) {
            for (FlagEnvironmentEntity config : FlagEnvironmentEntity.ofFlag(key)) {
                EnvironmentEntity environment = environment(config.environmentKey);
                Map<String, JsonNode> evaluators = compilation.evaluators(environment.evaluators);
                config.variants = new LinkedHashMap<>(flag.variants);
                compilation.definition(flag, config, evaluators, "environments." + config.environmentKey + ".", true);
                config.warnings = new ArrayList<>(compilation.warnings(config, evaluators));
            }
        }
        audit.record(key, null, actor, "update", before, AuditTrail.state(flag));
        FlagChangeCounter.bump();
        // Flush now so the returned ETag carries the new version.
        FlagEntity.flush();
        return flag;
    }

    @Transactional
    public void delete(String key, Set<String> expected, String actor) {
        FlagEntity flag = flag(key);
        requireCurrent("Flag " + key, flag.etagValue(), expected);
        Map<String, Object> before = AuditTrail.state(flag);
        FlagEnvironmentEntity.delete("flagKey", key);
        flag.delete();
        audit.record(key, null, actor, "delete", before, null);
        FlagChangeCounter.bump();
    }

    @Transactional
    public FlagEnvironmentEntity configure(
            String flagKey,
            String environmentKey,
            EnvironmentConfigRequest request,
            Set<String> expected,
            String actor) {
        // Every entry (API, page form) meets the same rules: an empty form must not store a null default variant.
        validation.require(request);
        FlagEnvironmentEntity config = config(flagKey, environmentKey);
        requireCurrent("Flag " + flagKey + " in " + environmentKey, config.etagValue(), expected);
        if (request.structured() != null
                && request.jsonLogic() != null
                && !request.jsonLogic().isNull()) {
            throw ProblemException.badRequest("jsonLogic", "give either structured or jsonLogic targeting, not both");
        }
        Map<String, Object> before = AuditTrail.state(config);
        boolean wasUniform = config.uniform();
        boolean wasEnabled = config.enabled;
        String previousDefault = config.defaultVariant;
        config.enabled = request.enabled();
        config.defaultVariant = request.defaultVariant();
        if (request.variants() != null && !request.variants().isNull()) {
            config.variants = variants(request.variants(), flag(flagKey).type);
        }
        if (request.structured() != null) {
            config.targetingKind = FlagEnvironmentEntity.STRUCTURED;
            config.targeting = asMap(mapper.valueToTree(request.structured()));
        } else if (request.jsonLogic() != null && !request.jsonLogic().isNull()) {
            if (!request.jsonLogic().isObject()) {
                throw ProblemException.badRequest("jsonLogic", "targeting must be a JsonLogic object");
            }
            config.targetingKind = FlagEnvironmentEntity.JSON_LOGIC;
            config.targeting = asMap(request.jsonLogic());
        } else {
            config.targetingKind = FlagEnvironmentEntity.NO_TARGETING;
            config.targeting = null;
        }
        return saved(config, before, wasUniform, wasEnabled, previousDefault, "configure", actor);
    }

    /** The kill switch: the flag serves its default variant to everyone here, in one call. */
    @Transactional
    public FlagEnvironmentEntity setEnabled(
            String flagKey, String environmentKey, boolean enabled, Set<String> expected, String actor) {
        FlagEnvironmentEntity config = config(flagKey, environmentKey);
        requireCurrent("Flag " + flagKey + " in " + environmentKey, config.etagValue(), expected);
        Map<String, Object> before = AuditTrail.state(config);
        boolean wasUniform = config.uniform();
        boolean wasEnabled = config.enabled;
        config.enabled = enabled;
        return saved(
                config, before, wasUniform, wasEnabled, config.defaultVariant, enabled ? "enable" : "disable", actor);
    }

    /** One tenant stops getting the feature here, whatever else the structured targeting says. */
    @Transactional
    public FlagEnvironmentEntity exclude(
            String flagKey, String environmentKey, String tenant, Set<String> expected, String actor) {
        if (tenant == null || tenant.isBlank()) {
            throw ProblemException.badRequest("tenant", "must name the tenant to exclude");
        }
        FlagEnvironmentEntity config = config(flagKey, environmentKey);
        requireCurrent("Flag " + flagKey + " in " + environmentKey, config.etagValue(), expected);
        if (!FlagEnvironmentEntity.STRUCTURED.equals(config.targetingKind)) {
            throw ProblemException.conflict("Flag " + flagKey + " has no structured targeting in " + environmentKey
                    + "; set included tenants first (PUT /api/flags/" + flagKey + "/environments/" + environmentKey
                    + ")");
        }
        Map<String, Object> before = AuditTrail.state(config);
        StructuredTargetingForm form = compilation.structured(config).excluding(tenant.strip());
        config.targeting = asMap(mapper.valueToTree(form));
        return saved(config, before, config.uniform(), config.enabled, config.defaultVariant, "exclude-tenant", actor);
    }

    FlagEnvironmentEntity saved(
            FlagEnvironmentEntity config,
            Map<String, Object> before,
            boolean wasUniform,
            boolean wasEnabled,
            String previousDefault,
            String action,
            String actor) {
        FlagEntity flag = flag(config.flagKey);
        EnvironmentEntity environment = environment(config.environmentKey);
        Map<String, JsonNode> evaluators = compilation.evaluators(environment.evaluators);
        // New targeting must compile; targeting kept as it was (e.g. a flagd import's, stored with warnings) need not,
        // so the kill switch and other edits work on every flag flagd would load.
        boolean targetingKept = config.targetingKind.equals(before.get("targetingKind"))
                && Objects.equals(config.targeting, before.get("targeting"));
        compilation.definition(flag, config, evaluators, "", targetingKept);
        config.warnings = new ArrayList<>(compilation.warnings(config, evaluators));
        config.declared = true;
        Instant now = clock.instant();
        touch(config, wasUniform, wasEnabled, previousDefault, now);
        audit.record(config.flagKey, config.environmentKey, actor, action, before, AuditTrail.state(config));
        FlagChangeCounter.bump();
        // Flush now so the returned ETag carries the new version.
        FlagEnvironmentEntity.flush();
        return config;
    }

    /** Keeps {@code uniformSince} at the moment everyone here started to get the same variant as now. */
    static void touch(
            FlagEnvironmentEntity config, boolean wasUniform, boolean wasEnabled, String previousDefault, Instant now) {
        config.updatedAt = now;
        if (!config.uniform()) {
            config.uniformSince = null;
        } else if (!wasUniform
                || wasEnabled != config.enabled
                || !Objects.equals(previousDefault, config.defaultVariant)
                || config.uniformSince == null) {
            config.uniformSince = now;
        }
    }

    FlagEnvironmentEntity newConfig(FlagEntity flag, String environmentKey) {
        FlagEnvironmentEntity config = new FlagEnvironmentEntity();
        config.flagKey = flag.key;
        config.environmentKey = environmentKey;
        config.enabled = false;
        config.variants = new LinkedHashMap<>(flag.variants);
        config.defaultVariant = flag.defaultVariant;
        config.targetingKind = FlagEnvironmentEntity.NO_TARGETING;
        config.updatedAt = clock.instant();
        config.uniformSince = config.updatedAt;
        return config;
    }

    private void describe(FlagEntity flag, FlagRequest request, String defaultOwner) {
        String type = request.type().strip().toLowerCase(java.util.Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw ProblemException.badRequest("type", "must be boolean, string, number or object");
        }
        flag.type = type;
        flag.variants = variants(request.variants(), type);
        if (!flag.variants.containsKey(request.defaultVariant())) {
            throw ProblemException.badRequest(
                    "defaultVariant",
                    "'" + request.defaultVariant() + "' is not one of the variants " + flag.variants.keySet());
        }
        flag.defaultVariant = request.defaultVariant();
        flag.name = request.name().strip();
        flag.notes = request.notes() == null ? "" : request.notes();
        flag.owner = request.owner() == null || request.owner().isBlank()
                ? defaultOwner
                : request.owner().strip();
        flag.expectedRemoval = request.expectedRemoval();
        flag.metadata = metadata(request.metadata());
    }

    private Map<String, Object> variants(JsonNode node, String type) {
        if (!node.isObject() || node.isEmpty()) {
            throw ProblemException.badRequest("variants", "must be an object with at least one variant by name");
        }
        Map<String, Object> variants = new LinkedHashMap<>();
        for (var it = node.fields(); it.hasNext(); ) {
            var variant = it.next();
            String field = "variants." + variant.getKey();
            if (variant.getKey().isBlank()) {
                throw ProblemException.badRequest(field, "a variant name must not be blank");
            }
            ValueType valueType = ValueType.typeOf(FlagValues.fromJson(variant.getValue()));
            if (valueType == null || !valueType.kind().equals(type)) {
                throw ProblemException.badRequest(field, "must be a " + type + " value, like the flag's type");
            }
            variants.put(variant.getKey(), asValue(variant.getValue()));
        }
        return variants;
    }

    private Map<String, Object> metadata(JsonNode node) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return metadata;
        }
        if (!node.isObject()) {
            throw ProblemException.badRequest("metadata", "must be an object");
        }
        for (var it = node.fields(); it.hasNext(); ) {
            var entry = it.next();
            if (!(entry.getValue().isTextual()
                    || entry.getValue().isNumber()
                    || entry.getValue().isBoolean())) {
                throw ProblemException.badRequest(
                        "metadata." + entry.getKey(), "metadata values must be strings, numbers or booleans");
            }
            metadata.put(entry.getKey(), asValue(entry.getValue()));
        }
        return metadata;
    }

    static void requireCurrent(String what, String current, Set<String> expected) {
        if (!expected.isEmpty() && !expected.contains(current)) {
            throw ProblemException.stale(what, "\"" + current + "\"");
        }
    }

    Map<String, Object> asMap(JsonNode node) {
        return mapper.convertValue(
                node, mapper.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Object.class));
    }

    private Object asValue(JsonNode node) {
        return mapper.convertValue(node, Object.class);
    }

    /** Every flag key with its configuration in one environment. */
    public static Map<String, FlagEnvironmentEntity> configsByFlag(String environmentKey) {
        Map<String, FlagEnvironmentEntity> byFlag = new LinkedHashMap<>();
        for (FlagEnvironmentEntity config : FlagEnvironmentEntity.ofEnvironment(environmentKey)) {
            byFlag.put(config.flagKey, config);
        }
        return byFlag;
    }

    /** Flags by key, in key order. */
    public static List<FlagEntity> flags() {
        return FlagEntity.allByKey();
    }
}
