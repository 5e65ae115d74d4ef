package io.reefline.flag.domain.targeting;

import java.util.List;
import java.util.stream.Collectors;

/** Targeting that cannot be compiled, with every problem found and where it is. */
public final class TargetingCompileException extends Exception {

    private final transient List<TargetingProblem> problems;

    public TargetingCompileException(List<TargetingProblem> problems) {
        super(problems.stream().map(p -> p.path() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<TargetingProblem> problems() {
        return problems;
    }
}
