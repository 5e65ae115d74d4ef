package io.reefline.rollout.simulation;

import io.reefline.rollout.upgrade.reconcile.ReconcileSettings;
import io.reefline.rollout.upgrade.reconcile.ReefBackoff;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** One replica's in-memory reef backoff (lost in a crash, as the service's is). */
final class SimReefBackoff implements ReefBackoff {

    private final ReconcileSettings settings;
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Instant> retryAt = new HashMap<>();
    long failed;

    SimReefBackoff(ReconcileSettings settings) {
        this.settings = settings;
    }

    @Override
    public boolean configured(String reef) {
        return true;
    }

    @Override
    public boolean waiting(String reef, Instant now) {
        Instant at = retryAt.get(reef);
        return at != null && now.isBefore(at);
    }

    @Override
    public void failed(String reef, String error, Instant now) {
        failed++;
        int n = failures.merge(reef, 1, Integer::sum);
        retryAt.put(reef, now.plus(settings.reefRetries().after(n)));
    }

    @Override
    public void succeeded(String reef) {
        failures.remove(reef);
        retryAt.remove(reef);
    }
}
