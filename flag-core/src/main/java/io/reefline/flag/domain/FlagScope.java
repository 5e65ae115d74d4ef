package io.reefline.flag.domain;

import io.reefline.flag.domain.targeting.EvaluationBudgetExceededException;
import io.reefline.flag.domain.targeting.Scope;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The data targeting reads while evaluating one flag: the context's attributes, {@code targetingKey}, and flagd's
 * {@code $flagd.flagKey} and {@code $flagd.timestamp} (unix seconds from the injected clock, read only if used).
 * A {@code $flagd} attribute sent by the caller is ignored, as flagd overwrites it. It also holds the evaluation's
 * budget of steps, so one evaluation cannot spend more than {@code steps} however the rule and the context combine.
 */
final class FlagScope implements Scope {

    private static final String FLAGD = "$flagd";
    private static final String FLAG_KEY = "flagKey";
    private static final String TIMESTAMP = "timestamp";

    private final EvaluationContext context;
    private final String flagKey;
    private final Clock clock;
    private final long budget;
    private long remaining;

    FlagScope(EvaluationContext context, String flagKey, Clock clock, long budget) {
        this.context = context;
        this.flagKey = flagKey;
        this.clock = clock;
        this.budget = budget;
        this.remaining = budget;
    }

    @Override
    public void spend(long steps) {
        remaining -= steps;
        if (remaining < 0) {
            throw new EvaluationBudgetExceededException(budget);
        }
    }

    @Override
    public Object resolve(String[] path) {
        String first = path[0];
        if (FLAGD.equals(first)) {
            if (path.length == 2 && FLAG_KEY.equals(path[1])) {
                return flagKey;
            }
            return Scope.descend(flagdProperties(), path, 1);
        }
        if (path.length == 1 && EvaluationContext.TARGETING_KEY.equals(first)) {
            return context.targetingKeyValue();
        }
        return Scope.descend(context.attributes().get(first), path, 1);
    }

    @Override
    public Object whole() {
        Map<String, Object> data = new HashMap<>(context.attributes());
        Object targetingKey = context.targetingKeyValue();
        if (targetingKey != null) {
            data.put(EvaluationContext.TARGETING_KEY, targetingKey);
        }
        data.put(FLAGD, flagdProperties());
        return data;
    }

    @Override
    public Scope root() {
        return this;
    }

    private Map<String, Object> flagdProperties() {
        return Map.of(FLAG_KEY, flagKey, TIMESTAMP, clock.instant().getEpochSecond());
    }
}
