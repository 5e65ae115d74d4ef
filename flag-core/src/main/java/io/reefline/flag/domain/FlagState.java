package io.reefline.flag.domain;

/**
 * Whether a flag is served; a disabled flag answers reason {@link Reason#DISABLED} with no value, so the caller's
 * code default applies.
 */
public enum FlagState {
    ENABLED,
    DISABLED
}
