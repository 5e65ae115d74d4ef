package io.reefline.flag.service;

import io.reefline.flag.persistence.AuditEntryEntity;
import io.reefline.flag.persistence.FlagEntity;
import io.reefline.flag.persistence.FlagEnvironmentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records every change of a flag in the caller's transaction, so a change and its audit row commit together. */
@ApplicationScoped
public class AuditTrail {

    private final Clock clock;

    AuditTrail(Clock clock) {
        this.clock = clock;
    }

    public void record(
            String flagKey,
            String environmentKey,
            String actor,
            String action,
            Map<String, Object> before,
            Map<String, Object> after) {
        AuditEntryEntity entry = new AuditEntryEntity();
        entry.flagKey = flagKey;
        entry.environmentKey = environmentKey;
        entry.actor = actor;
        entry.at = clock.instant();
        entry.action = action;
        entry.before = before;
        entry.after = after;
        entry.persist();
    }

    /** What an audit row keeps of a flag. */
    public static Map<String, Object> state(FlagEntity flag) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("key", flag.key);
        state.put("name", flag.name);
        state.put("notes", flag.notes);
        state.put("type", flag.type);
        state.put("variants", new LinkedHashMap<>(flag.variants));
        state.put("defaultVariant", flag.defaultVariant);
        state.put("metadata", new LinkedHashMap<>(flag.metadata));
        state.put("owner", flag.owner);
        state.put("expectedRemoval", flag.expectedRemoval == null ? null : flag.expectedRemoval.toString());
        return state;
    }

    /** What an audit row keeps of a flag's configuration in one environment. */
    public static Map<String, Object> state(FlagEnvironmentEntity config) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("enabled", config.enabled);
        state.put("variants", config.variants == null ? null : new LinkedHashMap<>(config.variants));
        state.put("defaultVariant", config.defaultVariant);
        state.put("targetingKind", config.targetingKind);
        state.put("targeting", config.targeting == null ? null : new LinkedHashMap<>(config.targeting));
        return state;
    }
}
