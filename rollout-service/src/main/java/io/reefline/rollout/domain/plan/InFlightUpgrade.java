package io.reefline.rollout.domain.plan;

import java.time.Instant;

/** An upgrade that has started and not finished; it holds one of its reef's in-flight slots. */
public record InFlightUpgrade(String instanceId, String reef, Instant startedAt) {}
