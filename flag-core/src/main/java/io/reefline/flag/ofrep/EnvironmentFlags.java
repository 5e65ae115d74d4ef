package io.reefline.flag.ofrep;

import io.reefline.flag.domain.Evaluator;
import io.reefline.flag.domain.FlagSnapshot;
import io.reefline.flag.domain.Reason;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The flags of one environment, ready to evaluate, with the OFREP answers already written for it.
 *
 * <p>A successful answer is decided by the flag, the variant and the reason alone (the value is the variant's, the
 * metadata the flag's), so each one is written to JSON once per snapshot and then copied: a bulk answer of 50 flags
 * is 50 array copies rather than 50 JSON objects written field by field. The cache lives and dies with this object,
 * that is with one snapshot, and holds at most flags x variants x reasons entries.
 */
public final class EnvironmentFlags {

    /** A successful answer's identity. */
    record Outcome(String flagKey, String variant, Reason reason) {}

    private final String environment;
    private final FlagSnapshot snapshot;
    private final Evaluator evaluator;
    private final Set<String> bucketedByTargetingKey;
    private final Map<Outcome, byte[]> answers = new ConcurrentHashMap<>();

    /**
     * @param bucketedByTargetingKey the flags whose fractional split buckets by the targeting key, so a context
     *     without one gets {@code TARGETING_KEY_MISSING} rather than a silent default
     */
    public EnvironmentFlags(
            String environment, FlagSnapshot snapshot, Evaluator evaluator, Set<String> bucketedByTargetingKey) {
        this.environment = Objects.requireNonNull(environment);
        this.snapshot = Objects.requireNonNull(snapshot);
        this.evaluator = Objects.requireNonNull(evaluator);
        this.bucketedByTargetingKey = Set.copyOf(bucketedByTargetingKey);
    }

    public String environment() {
        return environment;
    }

    public FlagSnapshot snapshot() {
        return snapshot;
    }

    public Evaluator evaluator() {
        return evaluator;
    }

    public Set<String> bucketedByTargetingKey() {
        return bucketedByTargetingKey;
    }

    /** The JSON of a successful answer, written by {@code writer} the first time this outcome is seen. */
    byte[] answer(Outcome outcome, Function<Outcome, byte[]> writer) {
        byte[] written = answers.get(outcome);
        return written != null ? written : answers.computeIfAbsent(outcome, writer);
    }

    @Override
    public String toString() {
        return "EnvironmentFlags[" + environment + ", version " + snapshot.version() + ", "
                + snapshot.flagSet().flags().size() + " flags]";
    }
}
