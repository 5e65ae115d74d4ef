package io.reefline.flag.domain;

import io.reefline.flag.domain.FlagSnapshot.PreparedFlag;
import io.reefline.flag.domain.targeting.EvaluationBudgetExceededException;
import io.reefline.flag.domain.targeting.JsonLogicValues;
import io.reefline.flag.domain.targeting.TargetingLimits;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Evaluates flags with flagd's semantics against the current {@link FlagSnapshot}:
 *
 * <ul>
 *   <li>unknown key: ERROR / FLAG_NOT_FOUND;
 *   <li>disabled flag: DISABLED with no value and no variant, so the caller's code default applies; targeting is not
 *       evaluated (flagd's ADR "disabled flag evaluation", flagd issue #1965);
 *   <li>no targeting: STATIC, with the default variant (DEFAULT with the code default when there is none);
 *   <li>targeting returns a variant name ({@code true}/{@code false} name the variants "true"/"false"):
 *       TARGETING_MATCH;
 *   <li>targeting returns null (also what flagd's operations answer for input they cannot use): DEFAULT, with the
 *       default variant or the code default;
 *   <li>targeting returns anything else, or a name the flag has no variant for: ERROR / GENERAL;
 *   <li>targeting fails, such as a {@code $ref} to a shared evaluator that does not exist: ERROR / PARSE_ERROR;
 *   <li>targeting spends more than {@link TargetingLimits#MAX_STEPS} steps: ERROR / GENERAL (the rule is valid; this
 *       context makes it too expensive), and no value.
 * </ul>
 *
 * Type checks against what the caller asked for belong to the transport ({@link ValueType#typeOf(Object)}).
 */
public final class Evaluator {

    private final Supplier<FlagSnapshot> snapshots;
    private final Clock clock;

    /** An evaluator reading the snapshot from {@code snapshots} once per call (e.g. an AtomicReference's get). */
    public Evaluator(Supplier<FlagSnapshot> snapshots, Clock clock) {
        this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** An evaluator over one fixed snapshot. */
    public static Evaluator over(FlagSnapshot snapshot, Clock clock) {
        return new Evaluator(() -> snapshot, clock);
    }

    public EvaluationResult evaluate(String flagKey, EvaluationContext context) {
        PreparedFlag flag = snapshots.get().prepared(flagKey);
        if (flag == null) {
            return EvaluationResult.error(flagKey, ErrorCode.FLAG_NOT_FOUND, "flag not found: " + flagKey, Map.of());
        }
        return evaluate(flag, context);
    }

    /** Every flag for one context, in definition order; disabled flags are included with reason DISABLED, as flagd does. */
    public List<EvaluationResult> evaluateAll(EvaluationContext context) {
        List<PreparedFlag> flags = snapshots.get().all();
        List<EvaluationResult> results = new ArrayList<>(flags.size());
        for (PreparedFlag flag : flags) {
            results.add(evaluate(flag, context));
        }
        return results;
    }

    private EvaluationResult evaluate(PreparedFlag prepared, EvaluationContext context) {
        if (prepared.fixedResult() != null) {
            return prepared.fixedResult();
        }
        FlagDefinition flag = prepared.flag();
        Object outcome;
        try {
            outcome = prepared.rule().evaluate(new FlagScope(context, flag.key(), clock, TargetingLimits.MAX_STEPS));
        } catch (EvaluationBudgetExceededException e) {
            return EvaluationResult.error(flag.key(), ErrorCode.GENERAL, e.getMessage(), prepared.metadata());
        } catch (RuntimeException e) {
            return EvaluationResult.error(
                    flag.key(), ErrorCode.PARSE_ERROR, "targeting failed: " + e, prepared.metadata());
        }
        if (outcome == null) {
            return prepared.defaultResult();
        }
        String variant = variantName(outcome);
        if (variant == null || !flag.variants().containsKey(variant)) {
            return EvaluationResult.error(
                    flag.key(),
                    ErrorCode.GENERAL,
                    "targeting returned " + JsonLogicValues.toText(outcome) + ", which is not a variant of the flag",
                    prepared.metadata());
        }
        return EvaluationResult.resolved(
                flag.key(), variant, flag.variants().get(variant), Reason.TARGETING_MATCH, prepared.metadata());
    }

    /** flagd turns a targeting result into a variant name as text: strings as they are, booleans and numbers printed. */
    private static String variantName(Object outcome) {
        if (outcome instanceof String text) {
            return text;
        }
        if (outcome instanceof Boolean || outcome instanceof Number) {
            return JsonLogicValues.toText(outcome);
        }
        return null;
    }
}
