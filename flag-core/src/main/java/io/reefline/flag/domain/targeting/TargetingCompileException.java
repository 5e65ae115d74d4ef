package io.reefline.flag.domain.targeting;

import java.util.List;
import java.util.stream.Collectors;

/** Targeting that cannot be compiled, with every problem found and where it is. */
public final class TargetingCompileException extends Exception {

    private final transient List<TargetingProblem> problems;
    private final boolean overBudget;

    public TargetingCompileException(List<TargetingProblem> problems) {
        this(problems, false);
    }

    /** @param overBudget the targeting is valid but beyond the {@link TargetingLimits}: never stored, not even kept */
    public TargetingCompileException(List<TargetingProblem> problems, boolean overBudget) {
        super(problems.stream().map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
        this.overBudget = overBudget;
    }

    /** True when the only problems are the evaluation budget's limits (depth, nodes after {@code $ref} expansion). */
    public boolean overBudget() {
        return overBudget;
    }

    public List<TargetingProblem> problems() {
        return problems;
    }
}
