package io.reefline.metrics.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The high-severity defect escape rate: changes that caused a SEV-0 or SEV-1 incident over the changes made, always
 * shown with its counts ("2 of 550 commits, 0.36%") because a rate of a handful of commits says little by itself.
 *
 * @param escaped commits linked to SEV-0/1 incidents reported in the period, plus one for each such incident that names
 *     no commit
 * @param commits commits made in the period
 */
public record EscapeRate(long escaped, long commits) {

    public EscapeRate {
        if (escaped < 0 || commits < 0) {
            throw new IllegalArgumentException("counts are never negative");
        }
    }

    /** The rate as a ratio; 0 when there were no commits (nothing could escape that was not made). */
    public double ratio() {
        return commits == 0 ? 0 : (double) escaped / commits;
    }

    /** The rate as a percentage with two decimals, rounded half up: 2 of 550 reads {@code 0.36%}. */
    public String percent() {
        if (commits == 0) {
            return "0.00%";
        }
        return BigDecimal.valueOf(escaped)
                        .multiply(BigDecimal.valueOf(100))
                        .divide(BigDecimal.valueOf(commits), 2, RoundingMode.HALF_UP)
                        .toPlainString()
                + "%";
    }

    /** {@code 2 of 550 commits (0.36%)}. */
    public String describe() {
        return escaped + " of " + commits + " commits (" + percent() + ")";
    }
}
