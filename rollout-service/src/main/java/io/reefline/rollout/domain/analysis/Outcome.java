package io.reefline.rollout.domain.analysis;

/** A verdict, of one metric or of the whole look. */
public enum Outcome {
    PASS,
    FAIL,
    INCONCLUSIVE
}
