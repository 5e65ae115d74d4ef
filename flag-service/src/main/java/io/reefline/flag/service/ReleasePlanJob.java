package io.reefline.flag.service;

import io.quarkus.scheduler.Scheduled;
import io.reefline.platform.andon.AndonGateClient;
import io.reefline.platform.andon.GateAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Advances due release plans every {@code flag.plan.advance-interval}, by the injected clock. Before moving a plan it
 * asks the andon gate for the plan's scope (its release and ring, or the global gate); a closed gate, or one that
 * cannot be reached, holds the plan with the reason instead (fail safe). The gate is asked outside any transaction.
 */
@ApplicationScoped
public class ReleasePlanJob {

    private static final Logger LOG = Logger.getLogger(ReleasePlanJob.class);

    private final ReleasePlans plans;
    private final AndonGateClient gate;

    ReleasePlanJob(ReleasePlans plans, AndonGateClient gate) {
        this.plans = plans;
        this.gate = gate;
    }

    @Scheduled(
            every = "${flag.plan.advance-interval:10s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        advanceDuePlans();
    }

    /** One pass: every due plan moves one phase on, or is held with the gate's reason. */
    public void advanceDuePlans() {
        for (ReleasePlans.Due due : plans.due()) {
            // Never throws: closed, with the reason, whenever andon-service does not clearly allow the move.
            GateAnswer answer = gate.ask(due.release(), null, due.ring());
            try {
                plans.advanceOrHold(due.id(), answer);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Release plan %d could not be advanced; the next pass tries again", due.id());
            }
        }
    }
}
