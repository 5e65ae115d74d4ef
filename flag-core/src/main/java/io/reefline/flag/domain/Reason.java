package io.reefline.flag.domain;

/** Why an evaluation produced its value: flagd's (and OpenFeature's) resolution reasons. */
public enum Reason {
    /** The flag has no targeting; the value is the default variant and may be cached. */
    STATIC,
    /** Targeting selected the variant. */
    TARGETING_MATCH,
    /** Targeting selected nothing (returned null); the default variant, or the caller's code default, applies. */
    DEFAULT,
    /** The flag is disabled: a success with no value and no variant, so the caller's code default applies. */
    DISABLED,
    /** The evaluation failed; see the {@link ErrorCode}. */
    ERROR
}
