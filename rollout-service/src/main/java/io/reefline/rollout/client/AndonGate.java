package io.reefline.rollout.client;

import io.reefline.platform.andon.AndonGateClient;
import io.reefline.platform.andon.GateAnswer;
import io.reefline.rollout.domain.plan.GateState;
import io.reefline.rollout.upgrade.reconcile.Gate;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The andon gate as the planner and the reconcile loop see it: platform's {@link AndonGateClient} (fail safe: closed,
 * with the reason, whenever andon-service does not clearly allow the move), answered as a {@link GateState}.
 */
@ApplicationScoped
public class AndonGate implements Gate {

    private final AndonGateClient client;

    AndonGate(AndonGateClient client) {
        this.client = client;
    }

    /** The gate for {@code release} across every reef and ring: one question per plan, not one per instance. */
    public GateState ask(String release) {
        return state(client.ask(release, null, null));
    }

    /** The gate for {@code release} moving into one reef and ring: what the scheduler asks before it starts upgrades. */
    @Override
    public GateState ask(String release, String reef, String ring) {
        return state(client.ask(release, reef, ring));
    }

    private static GateState state(GateAnswer answer) {
        return answer.allowed() ? GateState.OPEN : GateState.closed(answer.reason());
    }
}
