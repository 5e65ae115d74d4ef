package io.reefline.rollout.domain.analysis;

/**
 * One side's values of one metric.
 *
 * @param samples samples that had a value
 * @param instances distinct instances among them
 * @param mean the statistic compared: for a rate (error-rate, health-failures) the pooled rate, sum of errors over sum
 *     of requests (a mean weighted by traffic); otherwise the arithmetic mean
 * @param median median of the per-sample values
 * @param p90 90th percentile of the per-sample values (linear between the closest ranks)
 *     <p>All three are 0 when {@code samples} is 0.
 */
public record Summary(int samples, int instances, double mean, double median, double p90) {}
