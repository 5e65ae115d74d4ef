package io.reefline.rollout.domain.analysis;

import java.time.Instant;

/**
 * What one instance's sidecar observed of it during one window {@code [from, to)}.
 *
 * @param requests requests served in the window; null when the instance exposes no counters
 * @param errors 5xx answers in the window; null together with {@code requests}
 * @param latencyMs mean request latency in the window; null when unknown
 * @param healthChecks health checks the sidecar ran in the window
 * @param healthFailures of those, how many failed
 * @param restarts container restarts seen in the window
 */
public record Sample(
        String instanceId,
        String reef,
        String version,
        Instant from,
        Instant to,
        Long requests,
        Long errors,
        Double latencyMs,
        int healthChecks,
        int healthFailures,
        int restarts) {}
