package io.reefline.flag.domain;

import io.reefline.flag.domain.targeting.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, evaluation-ready view of one flag set. Built once per change (metadata merged, results of flags
 * without targeting computed in advance) and swapped atomically by its owner, so evaluation never locks and never
 * sees half an update.
 */
public final class FlagSnapshot {

    public static final FlagSnapshot EMPTY = of(FlagSet.of(List.of()), 0);

    private final FlagSet flagSet;
    private final long version;
    private final Map<String, PreparedFlag> byKey;
    private final List<PreparedFlag> all;

    private FlagSnapshot(FlagSet flagSet, long version) {
        this.flagSet = flagSet;
        this.version = version;
        this.byKey = new HashMap<>(flagSet.flags().size() * 2);
        this.all = new ArrayList<>(flagSet.flags().size());
        for (FlagDefinition flag : flagSet.flags().values()) {
            PreparedFlag prepared = PreparedFlag.of(flag, flagSet.metadata());
            byKey.put(flag.key(), prepared);
            all.add(prepared);
        }
    }

    /** A snapshot of the set; {@code version} identifies it (e.g. for ETags) and should grow with every change. */
    public static FlagSnapshot of(FlagSet flagSet, long version) {
        return new FlagSnapshot(flagSet, version);
    }

    public FlagSet flagSet() {
        return flagSet;
    }

    public long version() {
        return version;
    }

    PreparedFlag prepared(String flagKey) {
        return byKey.get(flagKey);
    }

    /** Every flag, disabled ones included, in definition order. */
    List<PreparedFlag> all() {
        return all;
    }

    /**
     * A flag ready to evaluate: its rule (null without targeting), its merged metadata, and the results that do not
     * depend on the context.
     */
    record PreparedFlag(
            FlagDefinition flag,
            Rule rule,
            Map<String, Object> metadata,
            EvaluationResult fixedResult,
            EvaluationResult defaultResult) {

        static PreparedFlag of(FlagDefinition flag, Map<String, Object> setMetadata) {
            Map<String, Object> merged = new LinkedHashMap<>(setMetadata);
            merged.putAll(flag.metadata());
            merged.values().removeIf(Objects::isNull);
            Map<String, Object> metadata = Map.copyOf(merged);
            String key = flag.key();
            String defaultVariant = flag.defaultVariant();
            Object defaultValue =
                    defaultVariant == null ? null : flag.variants().get(defaultVariant);
            EvaluationResult defaultResult =
                    EvaluationResult.resolved(key, defaultVariant, defaultValue, Reason.DEFAULT, metadata);
            EvaluationResult fixedResult = null;
            if (flag.state() == FlagState.DISABLED) {
                // No value and no variant: the caller's code default applies (flagd issue #1965).
                fixedResult = EvaluationResult.resolved(key, null, null, Reason.DISABLED, metadata);
            } else if (!flag.hasTargeting()) {
                // Without a default variant there is nothing static to serve: flagd reports DEFAULT (code default).
                fixedResult = defaultVariant == null
                        ? defaultResult
                        : EvaluationResult.resolved(key, defaultVariant, defaultValue, Reason.STATIC, metadata);
            }
            Rule rule = flag.hasTargeting() ? flag.targeting().rule() : null;
            return new PreparedFlag(flag, rule, metadata, fixedResult, defaultResult);
        }
    }
}
