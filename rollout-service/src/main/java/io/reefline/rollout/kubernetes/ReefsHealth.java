package io.reefline.rollout.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each reef's state, in the readiness answer's details, but never its verdict: rollout-service drives the whole fleet
 * from the hub, and one reef that does not answer must not take the service (its API, its pages, its work in the other
 * reefs) out of rotation. Readiness fails only for what the service itself needs (its database has its own check).
 * Reads what the probes recorded, so a reef that does not answer never slows the check down.
 */
@Readiness
@ApplicationScoped
public class ReefsHealth implements HealthCheck {

    private final Reefs reefs;

    ReefsHealth(Reefs reefs) {
        this.reefs = reefs;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Reefs").up();
        long unreachable = 0;
        for (Reef reef : reefs.all()) {
            Reef.Reachability reachability = reef.reachability();
            Reef.Probe probe = reachability.lastProbe();
            String state = reachability.state();
            if ("unreachable".equals(state)) {
                unreachable++;
                state += " since " + reachability.unreachableSince() + ": " + probe.error();
            } else if ("unknown".equals(state)) {
                state += ": not probed yet";
            }
            response.withData(reef.name(), state);
            response.withData(
                    reef.name() + " last contact",
                    reachability.lastContact() == null
                            ? "never"
                            : reachability.lastContact().toString());
            Reef.UpgradeCalls calls = reef.upgradeCalls();
            if (calls.failures() > 0) {
                response.withData(
                        reef.name() + " upgrades",
                        "backing off after " + calls.failures() + " failed call(s), next try at " + calls.retryAt()
                                + ": " + calls.lastError());
            }
        }
        response.withData("unreachable reefs", unreachable);
        return response.build();
    }
}
