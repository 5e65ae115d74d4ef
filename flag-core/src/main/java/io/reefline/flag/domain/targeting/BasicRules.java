package io.reefline.flag.domain.targeting;

import static io.reefline.flag.domain.targeting.JsonLogicValues.truthy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** Data access, logic, comparison and string operations of JsonLogic. */
final class BasicRules {

    private BasicRules() {}

    static final Rule NULL = new Constant(null);

    static boolean isConstant(Rule rule) {
        return rule instanceof Constant;
    }

    static Object constantValue(Rule rule) {
        return ((Constant) rule).value();
    }

    /** A literal; compiled once, shared by every evaluation. */
    record Constant(Object value) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return value;
        }
    }

    /** A {@code $ref} to a shared evaluator that does not exist: evaluating it fails (flagd's PARSE_ERROR). */
    record UnresolvedReference(String name) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            throw new TargetingEvaluationException("$ref names a shared evaluator that does not exist: '" + name + "'");
        }
    }

    /** An array literal whose elements are expressions. */
    record ListOf(Rule[] elements) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            List<Object> values = new ArrayList<>(elements.length);
            for (Rule element : elements) {
                values.add(element.evaluate(scope));
            }
            return values;
        }
    }

    /** {@code var} with a path known at compile time, already split on dots. */
    record Variable(String[] path, Rule fallback) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object value = path.length == 0 ? scope.whole() : scope.resolve(path);
            return value != null ? charged(value, scope) : fallback.evaluate(scope);
        }
    }

    /** {@code var} whose path is itself computed. */
    record DynamicVariable(Rule path, Rule fallback) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            String text = JsonLogicValues.toText(path.evaluate(scope));
            scope.spend(pathCost(text));
            Object value = text.isEmpty() ? scope.whole() : scope.resolve(text.split("\\.", -1));
            return value != null ? charged(value, scope) : fallback.evaluate(scope);
        }
    }

    /** {@code missing}: the keys whose value is absent, null or the empty string. */
    record Missing(Rule[] keys) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return missingKeys(scope, keyList(keys, scope));
        }
    }

    /** {@code missing_some}: nothing when at least {@code minimum} keys are present, else the missing ones. */
    record MissingSome(Rule minimum, Rule keys) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object keyValues = keys.evaluate(scope);
            List<?> keyList = keyValues instanceof List<?> list ? list : List.of();
            List<Object> missing = missingKeys(scope, keyList);
            double needed = JsonLogicValues.toNumber(minimum.evaluate(scope));
            return keyList.size() - missing.size() >= needed ? List.of() : missing;
        }
    }

    private static List<?> keyList(Rule[] keys, Scope scope) {
        if (keys.length == 1) {
            Object only = keys[0].evaluate(scope);
            if (only instanceof List<?> list) {
                return list;
            }
            return Collections.singletonList(only);
        }
        List<Object> values = new ArrayList<>(keys.length);
        for (Rule key : keys) {
            values.add(key.evaluate(scope));
        }
        return values;
    }

    private static List<Object> missingKeys(Scope scope, List<?> keys) {
        List<Object> missing = new ArrayList<>();
        for (Object key : keys) {
            String text = JsonLogicValues.toText(key);
            scope.spend(pathCost(text));
            Object value = text.isEmpty() ? scope.whole() : scope.resolve(text.split("\\.", -1));
            if (value == null || "".equals(value)) {
                missing.add(key);
            }
        }
        return missing;
    }

    /** {@code if} and {@code ?:}: condition/value pairs, with an optional final else. */
    record If(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            int i = 0;
            for (; i + 1 < args.length; i += 2) {
                if (truthy(args[i].evaluate(scope))) {
                    return args[i + 1].evaluate(scope);
                }
            }
            return i < args.length ? args[i].evaluate(scope) : null;
        }
    }

    /** {@code or}: the first truthy argument, else the last. */
    record Or(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object value = null;
            for (Rule arg : args) {
                value = arg.evaluate(scope);
                if (truthy(value)) {
                    return value;
                }
            }
            return value;
        }
    }

    /** {@code and}: the first falsy argument, else the last. */
    record And(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object value = null;
            for (Rule arg : args) {
                value = arg.evaluate(scope);
                if (!truthy(value)) {
                    return value;
                }
            }
            return value;
        }
    }

    /** {@code !} (negated) and {@code !!}. */
    record Truth(Rule arg, boolean negated) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return truthy(arg.evaluate(scope)) != negated;
        }
    }

    /** {@code ==}, {@code ===}, {@code !=} and {@code !==}. */
    record Equality(Rule left, Rule right, boolean strict, boolean negated) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object a = left.evaluate(scope);
            Object b = right.evaluate(scope);
            charged(a, scope);
            charged(b, scope);
            boolean equal = strict ? JsonLogicValues.strictEquals(a, b) : JsonLogicValues.looseEquals(a, b);
            return equal != negated;
        }
    }

    /** The relational operators; {@code <} and {@code <=} also take three arguments (between). */
    record Relational(Rule[] args, boolean lessThan, boolean orEqual) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object previous = args[0].evaluate(scope);
            for (int i = 1; i < args.length; i++) {
                Object next = args[i].evaluate(scope);
                charged(previous, scope);
                charged(next, scope);
                Integer order =
                        lessThan ? JsonLogicValues.compare(previous, next) : JsonLogicValues.compare(next, previous);
                if (order == null || order > 0 || order == 0 && !orEqual) {
                    return false;
                }
                previous = next;
            }
            return true;
        }
    }

    /** {@code in}: substring of a string, or member of an array. */
    record In(Rule needle, Rule haystack) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object container = haystack.evaluate(scope);
            Object item = needle.evaluate(scope);
            charged(container, scope);
            if (container instanceof String text) {
                String part = JsonLogicValues.toText(item);
                // A substring search may compare every position with the whole needle.
                scope.spend((long) Math.max(1, text.length() - part.length() + 1) * part.length() >> 6);
                return text.contains(part);
            }
            if (container instanceof List<?> list) {
                for (Object element : list) {
                    if (JsonLogicValues.strictEquals(item, element)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** {@code in} against a constant array, answered with a hash lookup instead of a scan. */
    record InConstantSet(Rule needle, Set<String> members) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            Object item = needle.evaluate(scope);
            return item instanceof String && members.contains(item);
        }
    }

    /** {@code cat}: the arguments joined as text. */
    record Cat(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            StringBuilder text = new StringBuilder();
            for (Rule arg : args) {
                text.append(JsonLogicValues.toText(arg.evaluate(scope)));
            }
            return charged(text.toString(), scope);
        }
    }

    /** {@code substr}: JavaScript's {@code substr}, with negative start and length counting from the end. */
    record Substr(Rule source, Rule start, Rule length) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            String text = JsonLogicValues.toText(source.evaluate(scope));
            int size = text.length();
            scope.spend(size >> 4);
            int from = (int) JsonLogicValues.toNumber(start.evaluate(scope));
            from = from < 0 ? Math.max(0, size + from) : Math.min(from, size);
            if (length == null) {
                return text.substring(from);
            }
            int count = (int) JsonLogicValues.toNumber(length.evaluate(scope));
            int to = count < 0 ? Math.max(from, size + count) : Math.min(size, from + count);
            return text.substring(from, to);
        }
    }

    /**
     * What reading or building a value costs in budget steps: an array or object one step per element (nested ones
     * included), a string one step per 16 characters, anything else nothing. Counting stops at the budget, so the
     * count costs no more than it charges.
     */
    static long dataSize(Object value) {
        return dataSize(value, TargetingLimits.MAX_STEPS + 1);
    }

    private static long dataSize(Object value, long cap) {
        if (value instanceof String text) {
            return text.length() >> 4;
        }
        Iterable<?> elements;
        long size;
        if (value instanceof List<?> list) {
            elements = list;
            size = list.size();
        } else if (value instanceof java.util.Map<?, ?> map) {
            elements = map.values();
            size = map.size();
        } else {
            return 0;
        }
        for (Object element : elements) {
            if (size >= cap) {
                return size;
            }
            if (element instanceof String || element instanceof List<?> || element instanceof java.util.Map<?, ?>) {
                size += dataSize(element, cap - size);
            }
        }
        return size;
    }

    /** What splitting a computed path on dots and walking it costs: one step, and one per 4 characters. */
    static long pathCost(String path) {
        return 1 + (path.length() >> 2);
    }

    /** Spends what reading or building {@code value} costs; free for numbers, booleans and short strings. */
    static Object charged(Object value, Scope scope) {
        long cost = dataSize(value);
        if (cost != 0) {
            scope.spend(cost);
        }
        return value;
    }

    static Rule constant(Object value) {
        return value == null ? NULL : new Constant(value);
    }
}
