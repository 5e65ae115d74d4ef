package io.reefline.rollout.domain.policy;

/** One reason a policy is invalid; {@code field} is a path such as {@code rings[1].soak}. */
public record Violation(String field, String message) {}
