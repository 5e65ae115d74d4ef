package io.reefline.flag.domain;

import java.util.Map;

/**
 * The outcome of evaluating one flag for one context.
 *
 * @param flagKey the flag evaluated
 * @param value the variant's value; {@code null} when the caller's code default applies or on error
 * @param variant the variant chosen; {@code null} when none was
 * @param reason why this value
 * @param errorCode set only when {@code reason} is {@link Reason#ERROR}
 * @param errorMessage a human-readable detail of the error
 * @param metadata the flag set's metadata overridden by the flag's
 */
public record EvaluationResult(
        String flagKey,
        Object value,
        String variant,
        Reason reason,
        ErrorCode errorCode,
        String errorMessage,
        Map<String, Object> metadata) {

    public EvaluationResult {
        metadata = metadata == null ? Map.of() : metadata;
    }

    public static EvaluationResult resolved(
            String flagKey, String variant, Object value, Reason reason, Map<String, Object> metadata) {
        return new EvaluationResult(flagKey, value, variant, reason, null, null, metadata);
    }

    public static EvaluationResult error(
            String flagKey, ErrorCode errorCode, String errorMessage, Map<String, Object> metadata) {
        return new EvaluationResult(flagKey, null, null, Reason.ERROR, errorCode, errorMessage, metadata);
    }

    public boolean isError() {
        return reason == Reason.ERROR;
    }

    /**
     * Whether no variant was chosen and the caller should use its own code default: flagd's omitted default
     * variant, and every disabled flag.
     */
    public boolean usesCodeDefault() {
        return !isError() && variant == null;
    }
}
