package io.reefline.metrics.rest;

import io.reefline.platform.problem.FieldViolation;
import java.util.List;

/** An event whose fields constrain each other (an outage ends after it starts); checked after the field annotations. */
public interface CrossFieldRules {

    /** The violated rules, each named by the field a sender should fix; empty when the event is consistent. */
    List<FieldViolation> crossFieldViolations();
}
