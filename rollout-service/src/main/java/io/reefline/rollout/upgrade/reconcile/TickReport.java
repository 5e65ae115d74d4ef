package io.reefline.rollout.upgrade.reconcile;

import java.time.Instant;
import java.util.List;

/** What one tick did, for the API, the page and tests. */
public record TickReport(
        Instant at,
        boolean leader,
        int started,
        int succeeded,
        int failed,
        int restored,
        int cancelled,
        List<String> held,
        List<String> reefErrors) {

    public static TickReport idle(Instant at) {
        return new TickReport(at, false, 0, 0, 0, 0, 0, List.of(), List.of());
    }
}
