package io.reefline.flag.domain.targeting;

/** Targeting that cannot be evaluated as written, such as a {@code $ref} to a shared evaluator that does not exist. */
public final class TargetingEvaluationException extends RuntimeException {

    public TargetingEvaluationException(String message) {
        super(message, null, false, false);
    }
}
