package io.reefline.flag.domain.targeting;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Targeting that flagd would load but that does not compile here (an unknown {@code $ref}, an unknown operation, a
 * malformed {@code fractional}): kept exactly as written, so it exports unchanged, with a rule that fails every
 * evaluation. The evaluator turns that failure into reason ERROR with PARSE_ERROR, which is what flagd answers for
 * targeting it cannot apply; the caller then uses its code default.
 */
public final class UncompiledTargeting {

    private UncompiledTargeting() {}

    /** Targeting as written whose evaluation always fails with {@code problem}. */
    public static Targeting of(JsonNode source, String problem) {
        TargetingNotCompiled failure = new TargetingNotCompiled(problem);
        return new Targeting(source, scope -> {
            throw failure;
        });
    }

    /** The failure; shared and without a stack trace, so a flag evaluated often costs no allocation. */
    static final class TargetingNotCompiled extends RuntimeException {
        TargetingNotCompiled(String problem) {
            super("targeting does not compile: " + problem, null, false, false);
        }
    }
}
