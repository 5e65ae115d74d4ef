package io.reefline.flag.rest;

import io.reefline.flag.persistence.ReleasePlanEntity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Where a release plan stands.
 *
 * @param status active, held (the andon gate is closed or cannot be read), paused (by hand), stopped or completed
 * @param phase the current phase's index in {@code phases}
 * @param nextStepAt when the next phase is due (it may be past while the plan is held or paused); null at the end
 * @param pauseReason why the plan does not advance: who paused or stopped it, or what the gate said; null otherwise
 * @param gateCheckedAt when the plan last asked the andon gate
 */
public record ReleasePlanView(
        String flagKey,
        String environment,
        String status,
        int phase,
        String phaseName,
        List<String> phases,
        Instant phaseStartedAt,
        Instant nextStepAt,
        String pauseReason,
        Instant gateCheckedAt,
        Instant updatedAt,
        Map<String, Object> plan) {

    public static ReleasePlanView of(ReleasePlanEntity entity, List<String> phases) {
        return new ReleasePlanView(
                entity.flagKey,
                entity.environmentKey,
                entity.status,
                entity.phase,
                phases.get(entity.phase),
                phases,
                entity.phaseStartedAt,
                entity.nextStepAt,
                entity.pauseReason,
                entity.gateCheckedAt,
                entity.updatedAt,
                entity.definition);
    }
}
