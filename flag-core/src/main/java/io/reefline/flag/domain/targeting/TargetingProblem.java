package io.reefline.flag.domain.targeting;

/** One reason targeting does not compile, at a JSON Pointer relative to the targeting's root. */
public record TargetingProblem(String path, String message) {}
