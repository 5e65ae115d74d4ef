package io.reefline.rollout.upgrade.reconcile;

import java.time.Instant;
import java.util.List;

/** What one tick did, for the API, the page and tests; {@code analysisNanos}: time spent in canary analysis. */
public record TickReport(
        Instant at,
        boolean leader,
        int started,
        int succeeded,
        int failed,
        int restored,
        int cancelled,
        List<String> held,
        List<String> reefErrors,
        long analysisNanos) {

    public static TickReport idle(Instant at) {
        return new TickReport(at, false, 0, 0, 0, 0, 0, List.of(), List.of(), 0);
    }
}
