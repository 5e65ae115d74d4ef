package io.reefline.flag.domain;

/** Why an evaluation failed: OpenFeature's error codes, as flagd and OFREP report them. */
public enum ErrorCode {
    /** No flag has the requested key. */
    FLAG_NOT_FOUND,
    /** The flag's definition or targeting could not be used, such as a {@code $ref} to an evaluator that is gone. */
    PARSE_ERROR,
    /** The flag's value is not of the type the caller asked for (decided by the transport). */
    TYPE_MISMATCH,
    /** The evaluation needs a targeting key and the context has none. */
    TARGETING_KEY_MISSING,
    /** The evaluation context is malformed (decided by the transport). */
    INVALID_CONTEXT,
    /**
     * Any other failure, such as targeting that names a variant the flag does not have, or an evaluation that spent
     * more than its budget of steps.
     */
    GENERAL
}
