package io.reefline.rollout.domain.analysis;

import java.util.Arrays;

/**
 * The Mann-Whitney U test, one-sided: is the canary's distribution stochastically greater (worse) than control's?
 *
 * <p>U is the canary sample's rank sum minus {@code n1 (n1 + 1) / 2}, with tied values given their average rank; it
 * counts the (canary, control) pairs where the canary value is greater, a tie counting half. Under the null hypothesis
 * U has mean {@code n1 n2 / 2} and variance {@code n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1)))} over the tie
 * groups of size t; {@code z = (U - mean - 0.5) / sd} (the 0.5 is the continuity correction toward the null) and p is
 * the standard normal upper tail of z. When every value is the same (zero variance) there is no evidence: z = 0, p = 1.
 * Both samples are sorted once, then merged: O(n log n).
 */
public final class MannWhitney {

    private MannWhitney() {}

    /**
     * @param u the canary sample's U
     * @param z the normal approximation's z score (with continuity and tie correction)
     * @param pValue the probability of a U at least this large if canary and control came from one distribution
     */
    public record Result(double u, double z, double pValue) {}

    /** @throws IllegalArgumentException if a value is NaN */
    public static Result greater(double[] canary, double[] control) {
        return greaterSorted(sorted(canary, "canary"), sorted(control, "control"));
    }

    /** {@link #greater} of values already sorted ascending, without NaN (the analysis sorts them once for both). */
    static Result greaterSorted(double[] a, double[] b) {
        int n1 = a.length;
        int n2 = b.length;
        if (n1 == 0 || n2 == 0) {
            return new Result(0, 0, 1);
        }
        double rankSum = 0;
        double tieTerm = 0;
        int i = 0;
        int j = 0;
        long ranked = 0;
        while (i < n1 || j < n2) {
            double v = i < n1 && (j >= n2 || a[i] <= b[j]) ? a[i] : b[j];
            int inA = 0;
            while (i < n1 && a[i] == v) {
                i++;
                inA++;
            }
            int inB = 0;
            while (j < n2 && b[j] == v) {
                j++;
                inB++;
            }
            long t = inA + inB;
            // ranks ranked+1 .. ranked+t, average (2 ranked + t + 1) / 2
            rankSum += inA * (ranked + (t + 1) / 2.0);
            tieTerm += (double) t * t * t - t;
            ranked += t;
        }
        double u = rankSum - n1 * (n1 + 1.0) / 2.0;
        double bigN = (double) n1 + n2;
        double variance = (double) n1 * n2 / 12.0 * ((bigN + 1) - tieTerm / (bigN * (bigN - 1)));
        if (!(variance > 0)) {
            return new Result(u, 0, 1);
        }
        double z = (u - n1 * (double) n2 / 2.0 - 0.5) / Math.sqrt(variance);
        return new Result(u, z, upperTail(z));
    }

    private static double[] sorted(double[] values, String side) {
        double[] copy = values.clone();
        for (double v : copy) {
            if (Double.isNaN(v)) {
                throw new IllegalArgumentException(side + " has a NaN value");
            }
        }
        Arrays.sort(copy);
        return copy;
    }

    /** P(Z > z) for a standard normal Z. */
    public static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /**
     * The complementary error function, to about 1e-13 relative. Below 2.5 it is {@code 1 - erf(x)} with erf from its
     * series {@code 2/sqrt(pi) e^(-x^2) sum 2^n x^(2n+1) / (1 * 3 * ... * (2n+1))}, whose terms are all positive (no
     * cancellation); from 2.5 on, where {@code 1 - erf} would lose digits, the continued fraction
     * {@code e^(-x^2)/sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...))))}, evaluated with the modified Lentz
     * method.
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return Double.NaN;
        }
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 2.5) {
            return 1 - erfSeries(x);
        }
        if (x > 27) {
            return 0; // below the smallest double
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) * continuedFraction(x);
    }

    private static double erfSeries(double x) {
        double x2 = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    }

    /** 1 / (x + a1 / (x + a2 / (x + ...))) with a_k = k / 2. */
    private static double continuedFraction(double x) {
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 1000; k++) {
            double ak = k / 2.0;
            d = x + ak * d;
            d = d == 0 ? tiny : d;
            c = x + ak / c;
            c = c == 0 ? tiny : c;
            d = 1 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return 1 / f;
    }
}
