package io.reefline.flag.domain.flagd;

import java.util.List;
import java.util.stream.Collectors;

/** A flagd document that was rejected as a whole, with every problem found in it. */
public final class InvalidFlagdDocumentException extends Exception {

    private final transient List<DocumentProblem> problems;

    public InvalidFlagdDocumentException(List<DocumentProblem> problems) {
        super(problems.stream().map(DocumentProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<DocumentProblem> problems() {
        return problems;
    }
}
