package io.reefline.rollout.domain.analysis;

import java.time.Instant;
import java.util.List;

/**
 * One look at a ring's canaries.
 *
 * @param from the start of the earliest sample judged (the observation start when there were none)
 * @param to the time of the look
 * @param canaryInstances the canary instances that sent samples, sorted
 * @param controlInstances how many control instances sent samples
 * @param summary one line for people, e.g. {@code FAIL: error-rate canary 8.1% vs control 0.5% (...)}
 */
public record Verdict(
        Outcome outcome,
        Instant from,
        Instant to,
        List<MetricResult> metrics,
        List<String> canaryInstances,
        int controlInstances,
        String summary) {

    public Verdict {
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
        canaryInstances = canaryInstances == null ? List.of() : List.copyOf(canaryInstances);
    }
}
