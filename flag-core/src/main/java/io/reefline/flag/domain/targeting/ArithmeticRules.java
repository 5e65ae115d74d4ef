package io.reefline.flag.domain.targeting;

import static io.reefline.flag.domain.targeting.JsonLogicValues.number;
import static io.reefline.flag.domain.targeting.JsonLogicValues.toNumber;

/** JsonLogic's arithmetic, computed in doubles as JavaScript does. */
final class ArithmeticRules {

    private ArithmeticRules() {}

    /** {@code +}: the sum; with one argument it casts to a number. */
    record Sum(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            double sum = 0;
            for (Rule arg : args) {
                sum += toNumber(arg.evaluate(scope));
            }
            return number(sum);
        }
    }

    /** {@code *}: the product. */
    record Product(Rule[] args) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            double product = 1;
            for (Rule arg : args) {
                product *= toNumber(arg.evaluate(scope));
            }
            return number(product);
        }
    }

    /** {@code -}: the difference, or the negation of a single argument. */
    record Difference(Rule left, Rule right) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            double a = toNumber(left.evaluate(scope));
            return right == null ? number(-a) : number(a - toNumber(right.evaluate(scope)));
        }
    }

    /** {@code /}. */
    record Quotient(Rule left, Rule right) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return number(toNumber(left.evaluate(scope)) / toNumber(right.evaluate(scope)));
        }
    }

    /** {@code %}: JavaScript's remainder (sign of the dividend). */
    record Remainder(Rule left, Rule right) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            return number(toNumber(left.evaluate(scope)) % toNumber(right.evaluate(scope)));
        }
    }

    /** {@code min} and {@code max}; {@code null} without arguments or when an argument is not a number. */
    record Extreme(Rule[] args, boolean maximum) implements Rule {
        @Override
        public Object evaluate(Scope scope) {
            if (args.length == 0) {
                return null;
            }
            double best = maximum ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            for (Rule arg : args) {
                double value = toNumber(arg.evaluate(scope));
                if (Double.isNaN(value)) {
                    return null;
                }
                best = maximum ? Math.max(best, value) : Math.min(best, value);
            }
            return number(best);
        }
    }
}
