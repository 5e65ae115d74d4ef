package io.reefline.rollout.upgrade;

import io.reefline.platform.backoff.Backoff;
import io.reefline.rollout.kubernetes.Reef;
import io.reefline.rollout.kubernetes.Reefs;
import io.reefline.rollout.upgrade.reconcile.ReefBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Each configured reef keeps its backoff on itself, where the API, the readiness check and the pages read it. */
@ApplicationScoped
public class ServiceReefBackoff implements ReefBackoff {

    private static final Logger LOG = Logger.getLogger(ServiceReefBackoff.class);

    private final Reefs reefs;
    private final Backoff retries;

    ServiceReefBackoff(Reefs reefs, UpgradeSettings settings) {
        this.reefs = reefs;
        this.retries = Backoff.doubling(settings.reefBackoff(), settings.reefBackoffMax());
    }

    @Override
    public boolean configured(String reef) {
        return reefs.named(reef).isPresent();
    }

    @Override
    public boolean waiting(String reef, Instant now) {
        return reefs.named(reef).map(r -> r.upgradeCalls().waiting(now)).orElse(true);
    }

    @Override
    public void failed(String reef, String error, Instant now) {
        reefs.named(reef).ifPresent(r -> {
            r.upgradeCallFailed(error, now, retries::after);
            Reef.UpgradeCalls calls = r.upgradeCalls();
            LOG.warnf("Reef %s: %s (try %d; next attempt at %s)", reef, error, calls.failures(), calls.retryAt());
        });
    }

    @Override
    public void succeeded(String reef) {
        reefs.named(reef).ifPresent(Reef::upgradeCallSucceeded);
    }
}
