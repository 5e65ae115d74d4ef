package io.reefline.platform.problem;

/** One invalid input field of a request, as listed in a validation problem. */
public record FieldViolation(String field, String message) {}
