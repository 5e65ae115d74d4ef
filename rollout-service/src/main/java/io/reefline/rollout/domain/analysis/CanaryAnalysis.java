package io.reefline.rollout.domain.analysis;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a ring's canaries (upgraded instances on the new version) against control (instances of the same reefs still
 * on an older one) over the same interval. Pure: no clock, no randomness; the same input gives the same verdict.
 *
 * <p>Per metric of the spec:
 *
 * <ul>
 *   <li>The values are the metric's value of each sample ({@link Metric#valueOf}); a sample without one (no request
 *       counters, no requests, no health check in the window) is skipped.
 *   <li><b>Too few samples</b>: fewer than {@code minSamples} values on the canary side, or (for Mann-Whitney) on the
 *       control side, make the metric INCONCLUSIVE; the explanation says which side has how many of how many.
 *   <li><b>Mann-Whitney</b>: FAIL only when both hold: the one-sided test finds the canary values greater
 *       ({@code p < alpha}, see {@link MannWhitney}), and the canary is worse by a practical margin:
 *       {@code canary - control >= minAbsoluteIncrease} and {@code canary >= control * (1 + minRelativeIncrease)},
 *       where a side's statistic is its pooled rate for error-rate (sum of errors / sum of requests) and
 *       health-failures (failed / run checks), and its mean for latency and restarts. Otherwise PASS. The margin
 *       keeps a significant but harmless difference (many samples, 0.5 % against 0.4 %) from stopping the line.
 *   <li><b>Threshold</b>: FAIL when the canary's statistic is above {@code max}, else PASS; control is shown, not
 *       compared, so only the canary side needs {@code minSamples}.
 * </ul>
 *
 * Overall: any metric FAIL makes the look FAIL at once, even before {@code minDuration} (a clear failure stops the
 * line early, whatever the other metrics say); every metric PASS and the canaries observed for at least
 * {@code minDuration} make it PASS; anything else is INCONCLUSIVE.
 */
public final class CanaryAnalysis {

    private CanaryAnalysis() {}

    /**
     * @param spec a valid spec ({@link AnalysisSpec#validate} empty)
     * @param canary samples of upgraded instances on the new version
     * @param control samples of the same reefs' instances still on an older one; both already cut to the same interval
     *     {@code [from, now]}
     * @param observedSince when the canaries began to be observed (the first canary upgrade became available)
     */
    public static Verdict judge(
            AnalysisSpec spec, List<Sample> canary, List<Sample> control, Instant observedSince, Instant now) {
        List<MetricResult> results = new ArrayList<>(spec.metrics().size());
        for (MetricCheck check : spec.metrics()) {
            results.add(judge(check, canary, control));
        }
        Duration observed = Duration.between(observedSince, now);
        boolean anyFail = results.stream().anyMatch(r -> r.outcome() == Outcome.FAIL);
        boolean allPass = results.stream().allMatch(r -> r.outcome() == Outcome.PASS);
        Outcome outcome;
        if (anyFail) {
            outcome = Outcome.FAIL;
        } else if (allPass && observed.compareTo(spec.minDuration()) >= 0) {
            outcome = Outcome.PASS;
        } else {
            outcome = Outcome.INCONCLUSIVE;
        }
        Set<String> canaryIds = new TreeSet<>();
        Instant from = null;
        for (Sample s : canary) {
            canaryIds.add(s.instanceId());
            from = earlier(from, s.from());
        }
        Set<String> controlIds = new HashSet<>();
        for (Sample s : control) {
            controlIds.add(s.instanceId());
            from = earlier(from, s.from());
        }
        String summary = summary(outcome, results, canaryIds.size(), controlIds.size(), observed, spec.minDuration());
        return new Verdict(
                outcome,
                from == null ? observedSince : from,
                now,
                results,
                List.copyOf(canaryIds),
                controlIds.size(),
                summary);
    }

    private static Instant earlier(Instant a, Instant b) {
        if (b == null) {
            return a;
        }
        return a == null || b.isBefore(a) ? b : a;
    }

    /** One side's values of one metric, sorted ascending, with its statistic. */
    private record Side(double[] sorted, Summary summary) {}

    private static Side side(Metric metric, List<Sample> samples) {
        double[] values = new double[samples.size()];
        int n = 0;
        double numerator = 0;
        double denominator = 0;
        double sum = 0;
        Set<String> instances = new HashSet<>();
        for (Sample s : samples) {
            OptionalDouble value = metric.valueOf(s);
            if (value.isEmpty() || !Double.isFinite(value.getAsDouble())) {
                continue;
            }
            double v = value.getAsDouble();
            values[n++] = v;
            sum += v;
            instances.add(s.instanceId());
            if (metric.isRate()) {
                double[] ratio = metric.ratio(s);
                numerator += ratio[0];
                denominator += ratio[1];
            }
        }
        double[] sorted = Arrays.copyOf(values, n);
        if (n == 0) {
            return new Side(sorted, new Summary(0, 0, 0, 0, 0));
        }
        Arrays.sort(sorted);
        double stat = metric.isRate() ? numerator / denominator : sum / n;
        return new Side(sorted, new Summary(n, instances.size(), stat, quantile(sorted, 0.5), quantile(sorted, 0.9)));
    }

    /** Linear between the closest ranks: position q (n - 1) in the sorted values. */
    private static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int lower = (int) Math.floor(position);
        int upper = Math.min(lower + 1, sorted.length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    private static MetricResult judge(MetricCheck check, List<Sample> canarySamples, List<Sample> controlSamples) {
        Metric metric = check.metric();
        Side canary = side(metric, canarySamples);
        Side control = side(metric, controlSamples);
        Summary c = canary.summary();
        Summary k = control.summary();
        String name = metric.jsonName();
        boolean threshold = check.test() == StatTest.THRESHOLD;
        List<String> missing = new ArrayList<>(2);
        if (c.samples() < check.minSamples()) {
            missing.add(missing("canary", c, check.minSamples(), metric, canarySamples.size()));
        }
        if (!threshold && k.samples() < check.minSamples()) {
            missing.add(missing("control", k, check.minSamples(), metric, controlSamples.size()));
        }
        if (!missing.isEmpty()) {
            return new MetricResult(
                    metric,
                    check.test(),
                    Outcome.INCONCLUSIVE,
                    c,
                    k,
                    null,
                    null,
                    null,
                    threshold ? check.max() : null,
                    name + " not judged: " + String.join("; ", missing));
        }
        if (threshold) {
            boolean fail = c.mean() > check.max();
            String explanation = name + " canary " + value(metric, c.mean()) + (fail ? " > max " : " <= max ")
                    + value(metric, check.max()) + " (control " + value(metric, k.mean()) + "; " + c.instances()
                    + " canary instances, " + c.samples() + " samples)";
            return new MetricResult(
                    metric,
                    check.test(),
                    fail ? Outcome.FAIL : Outcome.PASS,
                    c,
                    k,
                    null,
                    null,
                    null,
                    check.max(),
                    explanation);
        }
        MannWhitney.Result test = MannWhitney.greaterSorted(canary.sorted(), control.sorted());
        double bound = Math.max(k.mean() + check.minAbsoluteIncrease(), k.mean() * (1 + check.minRelativeIncrease()));
        boolean significant = test.pValue() < check.alpha();
        // A canary exactly at the margin meets it: 0.015 - 0.005 is 0.009999999999999998 in binary floating point.
        double slack = 1e-12 * Math.max(1, Math.abs(c.mean()) + Math.abs(k.mean()));
        boolean practical = c.mean() - k.mean() >= check.minAbsoluteIncrease() - slack
                && c.mean() >= k.mean() * (1 + check.minRelativeIncrease()) - slack;
        boolean fail = significant && practical;
        String comparison = name + " canary " + value(metric, c.mean()) + " vs control " + value(metric, k.mean());
        String numbers = "Mann-Whitney U=" + number(test.u()) + ", p=" + p(test.pValue())
                + (significant ? " < " : " >= ") + number(check.alpha()) + "; " + c.instances() + " canary, "
                + k.instances() + " control instances";
        String explanation;
        if (fail) {
            explanation = comparison + " (" + numbers + ")";
        } else if (significant) {
            explanation = comparison + " (" + numbers + "), within the practical margin: failing needs at least "
                    + value(metric, bound);
        } else {
            explanation = comparison + " (" + numbers + ")";
        }
        return new MetricResult(
                metric,
                check.test(),
                fail ? Outcome.FAIL : Outcome.PASS,
                c,
                k,
                test.u(),
                test.z(),
                test.pValue(),
                bound,
                explanation);
    }

    private static String missing(String side, Summary summary, int needed, Metric metric, int samples) {
        String text = "needs " + needed + " " + side + " samples, has " + summary.samples() + " (from "
                + summary.instances() + (summary.instances() == 1 ? " instance)" : " instances)");
        if (summary.samples() < samples) {
            text += ", " + (samples - summary.samples()) + " of " + samples + " samples had no " + metric.jsonName()
                    + switch (metric) {
                        case ERROR_RATE -> " (no requests, or no request counters)";
                        case LATENCY -> " (no latency reported)";
                        case HEALTH_FAILURES -> " (no health check in the window)";
                        case RESTARTS -> "";
                    };
        }
        return text;
    }

    private static String summary(
            Outcome outcome,
            List<MetricResult> results,
            int canaryInstances,
            int controlInstances,
            Duration observed,
            Duration minDuration) {
        List<String> parts = new ArrayList<>();
        if (outcome == Outcome.FAIL) {
            for (MetricResult r : results) {
                if (r.outcome() == Outcome.FAIL) {
                    parts.add(r.explanation());
                }
            }
            return "FAIL: " + String.join("; ", parts);
        }
        String instances = canaryInstances + " canary vs " + controlInstances + " control instances";
        if (outcome == Outcome.PASS) {
            return "PASS: " + results.size() + " metrics within bounds over " + duration(observed) + " (" + instances
                    + ")";
        }
        for (MetricResult r : results) {
            if (r.outcome() == Outcome.INCONCLUSIVE) {
                parts.add(r.explanation());
            }
        }
        if (parts.isEmpty()) {
            return "INCONCLUSIVE: all " + results.size() + " metrics pass, but observed " + duration(observed)
                    + " of the " + duration(minDuration) + " minimum (" + instances + ")";
        }
        return "INCONCLUSIVE: " + String.join("; ", parts);
    }

    /** A metric value as people read it: a rate in percent, latency in ms, restarts per window. */
    static String value(Metric metric, double v) {
        return switch (metric) {
            case ERROR_RATE, HEALTH_FAILURES -> percent(v);
            case LATENCY -> String.format(Locale.ROOT, "%.0f ms", v);
            case RESTARTS -> String.format(Locale.ROOT, "%.3f restarts/window", v);
        };
    }

    private static String percent(double fraction) {
        double pct = fraction * 100;
        return pct != 0 && Math.abs(pct) < 0.1
                ? String.format(Locale.ROOT, "%.3f%%", pct)
                : String.format(Locale.ROOT, "%.1f%%", pct);
    }

    /** U is a whole or half number; alpha a short decimal. */
    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static String p(double p) {
        return p != 0 && p < 0.001 ? String.format(Locale.ROOT, "%.1e", p) : String.format(Locale.ROOT, "%.3f", p);
    }

    private static String duration(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds / 60 + "m" + seconds % 60 + "s";
    }
}
