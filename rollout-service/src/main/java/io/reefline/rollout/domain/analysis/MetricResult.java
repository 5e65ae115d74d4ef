package io.reefline.rollout.domain.analysis;

/**
 * The verdict on one metric, with the numbers that led to it.
 *
 * @param u Mann-Whitney U of the canary sample (pairs where the canary value is greater, ties counting half); null for
 *     a threshold or when there were too few samples
 * @param z the normal approximation's z score; null likewise
 * @param pValue one-sided p-value; null likewise
 * @param bound Mann-Whitney: the smallest canary statistic the practical margin lets fail,
 *     {@code max(control + minAbsoluteIncrease, control * (1 + minRelativeIncrease))}; threshold: its max
 * @param explanation one line in words
 */
public record MetricResult(
        Metric metric,
        StatTest test,
        Outcome outcome,
        Summary canary,
        Summary control,
        Double u,
        Double z,
        Double pValue,
        Double bound,
        String explanation) {}
