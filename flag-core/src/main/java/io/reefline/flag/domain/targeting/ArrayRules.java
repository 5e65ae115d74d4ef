package io.reefline.flag.domain.targeting;

import static io.reefline.flag.domain.targeting.JsonLogicValues.truthy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JsonLogic's array operations. Inside the per-element expression, {@code var} reads the element (or, for
 * {@code reduce}, {@code current} and {@code accumulator}). Each element visited spends {@code cost} steps of the
 * evaluation's budget (the nodes of the per-element expression, plus one); {@code merge} spends the size of what it
 * builds.
 */
final class ArrayRules {

    private ArrayRules() {}

    private static List<?> elements(Rule source, Scope scope) {
        return source.evaluate(scope) instanceof List<?> list ? list : List.of();
    }

    /** {@code merge}: arrays flattened one level; other values taken as they are. */
    record Merge(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            List<Object> merged = new ArrayList<>();
            for (Rule arg : args) {
                Object value = arg.evaluate(scope);
                if (value instanceof List<?> list) {
                    scope.spend(list.size());
                    merged.addAll(list);
                } else {
                    merged.add(value);
                }
            }
            return merged;
        }
    }

    /** {@code map}. */
    record MapEach(Rule source, Rule mapper, long cost) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            List<?> list = elements(source, scope);
            List<Object> mapped = new ArrayList<>(list.size());
            for (Object element : list) {
                scope.spend(cost);
                mapped.add(mapper.evaluate(Scope.element(element, scope)));
            }
            return mapped;
        }
    }

    /** {@code filter}. */
    record Filter(Rule source, Rule test, long cost) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            List<Object> kept = new ArrayList<>();
            for (Object element : elements(source, scope)) {
                scope.spend(cost);
                if (truthy(test.evaluate(Scope.element(element, scope)))) {
                    kept.add(element);
                }
            }
            return kept;
        }
    }

    /** {@code reduce}: folds the array with {@code current} and {@code accumulator} in scope. */
    record Reduce(Rule source, Rule reducer, Rule initial, long cost) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object accumulator = initial.evaluate(scope);
            for (Object element : elements(source, scope)) {
                scope.spend(cost);
                Map<String, Object> data = new HashMap<>(4);
                data.put("current", element);
                data.put("accumulator", accumulator);
                accumulator = reducer.evaluate(Scope.element(data, scope));
            }
            return accumulator;
        }
    }

    /** How many elements must pass for {@code all}, {@code some} and {@code none}. */
    enum Quantity {
        ALL,
        SOME,
        NONE
    }

    /** {@code all} (false for an empty array, as json-logic-js answers), {@code some} and {@code none}. */
    record Quantified(Rule source, Rule test, Quantity quantity, long cost) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            List<?> list = elements(source, scope);
            if (quantity == Quantity.ALL && list.isEmpty()) {
                return false;
            }
            for (Object element : list) {
                scope.spend(cost);
                boolean passes = truthy(test.evaluate(Scope.element(element, scope)));
                if (quantity == Quantity.ALL && !passes) {
                    return false;
                }
                if (quantity != Quantity.ALL && passes) {
                    return quantity == Quantity.SOME;
                }
            }
            return quantity != Quantity.SOME;
        }
    }
}
