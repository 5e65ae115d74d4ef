package io.reefline.flag.domain.targeting;

/** One evaluation spent more than {@link TargetingLimits#MAX_STEPS} steps; the evaluation is abandoned. */
public final class EvaluationBudgetExceededException extends RuntimeException {

    public EvaluationBudgetExceededException(long limit) {
        super("evaluation exceeded its budget of " + limit + " steps", null, false, false);
    }
}
