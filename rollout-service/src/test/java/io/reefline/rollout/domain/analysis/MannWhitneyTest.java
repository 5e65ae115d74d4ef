package io.reefline.rollout.domain.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MannWhitneyTest {

    @Test
    void shouldComputeUZAndPByHandWithTies() {
        // canary {3, 5, 5, 7}, control {1, 2, 3, 5}; pooled and sorted (a = canary, c = control):
        //   1c 2c 3a 3c 5a 5a 5c 7a
        //   ranks: 1, 2, the 3s share 3 and 4 -> 3.5, the 5s share 5, 6, 7 -> 6, 7 -> 8
        // canary rank sum R1 = 3.5 + 6 + 6 + 8 = 23.5; U = R1 - n1 (n1 + 1) / 2 = 23.5 - 10 = 13.5
        //   (by pairs: 3 beats 1, 2 and ties 3 -> 2.5; each 5 beats 1, 2, 3 and ties 5 -> 3.5; 7 beats all -> 4;
        //    2.5 + 3.5 + 3.5 + 4 = 13.5)
        // mean n1 n2 / 2 = 8; ties: t = 2 (the 3s) and t = 3 (the 5s): sum(t^3 - t) = 6 + 24 = 30; N = 8
        // variance = n1 n2 / 12 * ((N + 1) - 30 / (N (N - 1))) = 16/12 * (9 - 30/56) = 11.285714...; sd = 3.3594217
        // z = (13.5 - 8 - 0.5) / 3.3594217 = 1.4883514; p = P(Z > 1.4883514) = 0.0683291
        MannWhitney.Result r = MannWhitney.greater(new double[] {3, 5, 5, 7}, new double[] {1, 2, 3, 5});

        assertEquals(13.5, r.u(), 1e-12);
        assertEquals(1.4883513944689681, r.z(), 1e-12);
        assertEquals(0.06832912386907376, r.pValue(), 1e-12);
    }

    @Test
    void shouldNotDependOnTheOrderOfTheValues() {
        MannWhitney.Result sorted = MannWhitney.greater(new double[] {3, 5, 5, 7}, new double[] {1, 2, 3, 5});
        MannWhitney.Result shuffled = MannWhitney.greater(new double[] {5, 7, 3, 5}, new double[] {5, 3, 1, 2});

        assertEquals(sorted, shuffled);
    }

    @Test
    void shouldBeOneSidedTowardTheCanaryBeingGreater() {
        // canary {10, 11, 12}, control {1, 2, 3}: every canary value beats every control one: U = n1 n2 = 9;
        // no ties: variance = 9/12 * 7 = 5.25, sd = 2.2912878; z = (9 - 4.5 - 0.5) / 2.2912878 = 1.7457431
        // p = P(Z > 1.7457431) = 0.0404278
        MannWhitney.Result worse = MannWhitney.greater(new double[] {10, 11, 12}, new double[] {1, 2, 3});
        // the same values the other way round: U = 0, z = (0 - 4.5 - 0.5) / 2.2912878 = -2.1821789, p = 0.9854518
        MannWhitney.Result better = MannWhitney.greater(new double[] {1, 2, 3}, new double[] {10, 11, 12});

        assertEquals(9, worse.u());
        assertEquals(4 / Math.sqrt(5.25), worse.z(), 1e-12);
        assertEquals(0.0404278, worse.pValue(), 1e-7);
        assertEquals(0, better.u());
        assertEquals(-5 / Math.sqrt(5.25), better.z(), 1e-12);
        assertEquals(0.9854518, better.pValue(), 1e-7);
    }

    @Test
    void shouldGiveAboutOneHalfForTheSameDistribution() {
        // canary = control = 1..100: U = n1 n2 / 2 = 5000, so z is only the continuity correction,
        // -0.5 / sd (sd = sqrt(100 * 100 / 12 * (201 - 600 / 39800)) = 409.2): p = P(Z > -0.0012) = 0.50049
        double[] values = new double[100];
        Arrays.setAll(values, i -> i + 1);

        MannWhitney.Result r = MannWhitney.greater(values, values.clone());

        assertEquals(5000, r.u());
        assertEquals(0.5004874037244589, r.pValue(), 1e-9);
    }

    @Test
    void shouldGiveNoEvidenceWhenEveryValueIsTheSame() {
        // all zeros (restarts of a healthy fleet): one tie group of N = 30, sum(t^3 - t) = N^3 - N, so the variance is
        // n1 n2 / 12 * ((N + 1) - (N + 1)) = 0: there is nothing to rank
        MannWhitney.Result r = MannWhitney.greater(new double[10], new double[20]);

        assertEquals(100, r.u()); // every pair a tie: 10 * 20 / 2
        assertEquals(0, r.z());
        assertEquals(1, r.pValue());
        assertEquals(1, MannWhitney.greater(new double[0], new double[] {1, 2}).pValue());
    }

    @Test
    void shouldRefuseNaN() {
        assertThrows(
                IllegalArgumentException.class, () -> MannWhitney.greater(new double[] {Double.NaN}, new double[] {1}));
    }

    @Test
    void shouldMatchTheErfcTableToTenDigits() {
        // erfc(x) at the table's points; both branches (series below 2.5, continued fraction from 2.5) and the
        // border, relative error
        double[][] table = {
            {0, 1.0},
            {0.1, 0.8875370839817152},
            {0.5, 0.4795001221869535},
            {1, 0.15729920705028513},
            {1.5, 0.033894853524689274},
            {2, 0.004677734981047265},
            {2.4, 0.0006885138966450789},
            {2.5, 0.0004069520174449589},
            {2.6, 0.00023603441652934908},
            {3, 2.2090496998585438e-05},
            {4, 1.541725790028002e-08},
            {5, 1.5374597944280351e-12},
            {6, 2.1519736712498916e-17},
            {10, 2.088487583762545e-45},
            {20, 5.3958656116079005e-176},
            {-1, 1.842700792949715},
        };
        for (double[] row : table) {
            double got = MannWhitney.erfc(row[0]);
            assertEquals(row[1], got, Math.abs(row[1]) * 1e-10, "erfc(" + row[0] + ")");
        }
    }

    @Test
    void shouldMatchTheNormalTailAtTheUsualCriticalValues() {
        // z of the one-sided 5 %, 2.5 %, 1 %, 0.1 %, 1e-6 levels
        double[][] table = {
            {0, 0.5},
            {1.6448536269514722, 0.05},
            {1.959963984540054, 0.025},
            {2.3263478740408408, 0.01},
            {3.090232306167813, 0.001},
            {4.753424308822899, 1e-6},
            {7, 1.279812543885835e-12},
            {-1.959963984540054, 0.975},
        };
        for (double[] row : table) {
            assertEquals(row[1], MannWhitney.upperTail(row[0]), row[1] * 1e-9, "P(Z > " + row[0] + ")");
        }
    }

    @Test
    void shouldRankLargeSamplesInStepsNotPairs() {
        // 200,000 values: a pairwise count would be 10^10 comparisons; ranking is a sort and one merge
        double[] canary = new double[100_000];
        double[] control = new double[100_000];
        Arrays.setAll(canary, i -> i % 1000);
        Arrays.setAll(control, i -> i % 1000);
        long start = System.nanoTime();

        MannWhitney.Result r = MannWhitney.greater(canary, control);

        assertEquals(5e9, r.u(), 1e-3);
        assertTrue(r.pValue() > 0.49 && r.pValue() < 0.51, "p " + r.pValue());
        assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1e6 + " ms");
    }
}
