package io.reefline.flag.ofrep;

/** Where an SDK key may evaluate: its environment, and whether it was revoked. */
public record KeyBinding(String environment, boolean revoked) {}
