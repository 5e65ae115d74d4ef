package io.reefline.rollout.kubernetes;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when every reef's Kubernetes API answers; the answer names each reef's state. */
@Readiness
@ApplicationScoped
public class ReefsReadiness implements HealthCheck {

    private final Reefs reefs;

    ReefsReadiness(Reefs reefs) {
        this.reefs = reefs;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Reefs").up();
        for (Reef reef : reefs.probed()) {
            Reef.Probe probe = reef.lastProbe();
            response.withData(reef.name(), probe.reachable() ? "UP" : "DOWN: " + probe.error());
            if (!probe.reachable()) {
                response.down();
            }
            Reef.UpgradeCalls calls = reef.upgradeCalls();
            if (calls.failures() > 0) {
                response.withData(
                        reef.name() + " upgrades",
                        "backing off after " + calls.failures() + " failed call(s), next try at " + calls.retryAt()
                                + ": " + calls.lastError());
            }
        }
        return response.build();
    }
}
