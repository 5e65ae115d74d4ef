package io.reefline.flag.domain;

/** Whether a flag is served; a disabled flag answers its default variant with reason {@link Reason#DISABLED}. */
public enum FlagState {
    ENABLED,
    DISABLED
}
