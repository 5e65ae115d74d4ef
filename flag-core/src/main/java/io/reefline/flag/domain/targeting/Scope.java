package io.reefline.flag.domain.targeting;

import java.util.List;
import java.util.Map;

/**
 * The data a {@link Rule} reads with {@code var}: the evaluation context at the top level, or the current element
 * inside {@code map}, {@code filter}, {@code reduce}, {@code all}, {@code none} and {@code some}.
 */
public interface Scope {

    /** The value at a dotted path already split into segments; {@code null} when absent. */
    Object resolve(String[] path);

    /** The whole data object, for {@code {"var": ""}}. */
    Object whole();

    /** The evaluation context itself; flagd's custom operations always read the flag key and targeting key there. */
    Scope root();

    /**
     * Spends {@code steps} of the evaluation's budget ({@link TargetingLimits#MAX_STEPS}), throwing
     * {@link EvaluationBudgetExceededException} when it runs out. Scopes over plain values have no budget of their own
     * and spend their root's.
     */
    default void spend(long steps) {}

    /** A scope over a plain value (maps, lists, primitives), as used inside array operations and in tests. */
    static Scope of(Object data) {
        return new ValueScope(data, null);
    }

    /** A scope over an element of an array operation, keeping the evaluation context as its root. */
    static Scope element(Object data, Scope root) {
        return new ValueScope(data, root.root());
    }

    /** Walks {@code path} from {@code from} into nested maps and lists; {@code null} where the path leaves the data. */
    static Object descend(Object value, String[] path, int from) {
        Object current = value;
        for (int i = from; i < path.length && current != null; i++) {
            current = child(current, path[i]);
        }
        return current;
    }

    private static Object child(Object container, String segment) {
        if (container instanceof Map<?, ?> map) {
            return map.get(segment);
        }
        if (container instanceof List<?> list) {
            int index = JsonLogicValues.parseIndex(segment);
            return index >= 0 && index < list.size() ? list.get(index) : null;
        }
        return null;
    }

    /** A scope over a plain value. */
    record ValueScope(Object data, Scope parent) implements Scope {

        @Override
        public Object resolve(String[] path) {
            return descend(data, path, 0);
        }

        @Override
        public Object whole() {
            return data;
        }

        @Override
        public Scope root() {
            return parent == null ? this : parent;
        }

        @Override
        public void spend(long steps) {
            if (parent != null) {
                parent.spend(steps);
            }
        }
    }
}
