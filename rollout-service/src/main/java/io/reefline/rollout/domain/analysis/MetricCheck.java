package io.reefline.rollout.domain.analysis;

/**
 * How one metric is judged.
 *
 * @param alpha Mann-Whitney: the p-value below which the canary counts as worse, in (0, 0.5]
 * @param minRelativeIncrease Mann-Whitney: the canary's statistic must be at least control's times (1 + this) to fail
 * @param minAbsoluteIncrease Mann-Whitney: and at least control's plus this (in the metric's unit: a rate as a
 *     fraction, latency in ms, restarts per window)
 * @param minSamples samples with a value each side needs before the metric is judged at all
 * @param max threshold: the canary fails above this; null for Mann-Whitney
 */
public record MetricCheck(
        Metric metric,
        StatTest test,
        double alpha,
        double minRelativeIncrease,
        double minAbsoluteIncrease,
        int minSamples,
        Double max) {}
