package io.reefline.flag.domain.targeting;

/**
 * One node of compiled targeting: a JsonLogic expression turned into Java objects once per flag change, so that
 * evaluation walks plain objects and never parses JSON.
 */
@FunctionalInterface
public interface Rule {

    /** The value of this expression for the given data; never throws for odd input (JsonLogic answers falsy). */
    Object evaluate(Scope scope);
}
