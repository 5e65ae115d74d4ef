package io.reefline.rollout.service;

import io.reefline.platform.problem.ProblemException;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import io.reefline.rollout.persistence.FreezeEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Stored freezes, and the same freezes as the planner reads them. */
@ApplicationScoped
public class FreezeService {

    /** A validated new freeze: either {@code start}/{@code end} or {@code weekly} is set. */
    public record NewFreeze(
            Freeze.Scope scope, String target, Instant start, Instant end, MaintenanceWindow weekly, String reason) {}

    private final Clock clock;

    FreezeService(Clock clock) {
        this.clock = clock;
    }

    @Transactional
    public List<FreezeEntity> all() {
        return FreezeEntity.inOrder();
    }

    @Transactional
    public FreezeEntity create(NewFreeze freeze, String by) {
        FreezeEntity entity = new FreezeEntity();
        entity.scope = freeze.scope().name();
        entity.target = freeze.scope() == Freeze.Scope.GLOBAL ? null : freeze.target();
        entity.startsAt = freeze.start();
        entity.endsAt = freeze.end();
        entity.weekly = freeze.weekly() == null ? null : freeze.weekly().toString();
        entity.reason = freeze.reason();
        entity.createdBy = by;
        entity.createdAt = clock.instant();
        entity.persist();
        return entity;
    }

    @Transactional
    public void delete(long id) {
        if (!FreezeEntity.deleteById(id)) {
            throw ProblemException.notFound("Freeze", id);
        }
    }

    /** Every stored freeze as the planner sees it. */
    @Transactional
    public List<Freeze> freezes() {
        return FreezeEntity.inOrder().stream().map(FreezeService::toDomain).toList();
    }

    public static Freeze toDomain(FreezeEntity entity) {
        Freeze.Period period = entity.weekly != null
                ? new Freeze.Weekly(MaintenanceWindow.parse(entity.weekly))
                : new Freeze.OneOff(entity.startsAt, entity.endsAt);
        return new Freeze(
                String.valueOf(entity.id), Freeze.Scope.valueOf(entity.scope), entity.target, period, entity.reason);
    }
}
