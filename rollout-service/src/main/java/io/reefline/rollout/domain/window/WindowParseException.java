package io.reefline.rollout.domain.window;

import java.util.List;

/**
 * A maintenance-window annotation that cannot be read. It lists every problem found, so an operator fixes the
 * annotation once instead of once per problem.
 */
public final class WindowParseException extends IllegalArgumentException {

    private final String input;
    private final List<String> problems;

    public WindowParseException(String input, List<String> problems) {
        super("invalid maintenance window '" + input + "': " + String.join("; ", problems));
        this.input = input;
        this.problems = List.copyOf(problems);
    }

    public String input() {
        return input;
    }

    public List<String> problems() {
        return problems;
    }
}
