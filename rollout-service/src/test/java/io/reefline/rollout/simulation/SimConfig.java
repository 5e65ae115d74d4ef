package io.reefline.rollout.simulation;

/**
 * One run's shape and fault rates. Rates are per call (API, store write) or per tick (gate, freezes, clock jumps). Every
 * rate can be overridden with a system property {@code -Dsim.<name>=<value>}, e.g. {@code -Dsim.crashRate=0.01}.
 *
 * @param calmFraction the last part of the nominal ticks runs without any fault, gate open, no freezes
 * @param drainDays after the nominal ticks, calm ticks go on until every instance is on its channel's newest release
 *     (or a documented exception), for at most this many simulated days
 * @param expediteRate share of the operator's fix releases that are expedited (skip the soaks between rings)
 */
record SimConfig(
        long seed,
        int ticks,
        int tickMinutes,
        int instances,
        double calmFraction,
        int drainDays,
        double apiErrorRate,
        double apiRefusedRate,
        double timeoutAfterPatchRate,
        double staleReadRate,
        double watchErrorRate,
        double inventoryWatchDropRate,
        double neverAvailableRate,
        double unhealthyRate,
        double healthFlapRate,
        double crashRate,
        double dbErrorRate,
        double leadershipLossRate,
        double gateFlapRate,
        double gateOutageRate,
        double freezeRate,
        double clockJumpRate,
        double newReleaseRate,
        double oldReleaseRate,
        double expediteRate) {

    static SimConfig defaults(long seed) {
        return new SimConfig(
                seed, 10_000, 3, 1_600, 0.30, 10, // shape
                0.02, // apiErrorRate: 0 (timeout), 500, 503, 429 per Kubernetes call
                0.01, // apiRefusedRate: 409, 422 per patch
                0.01, // timeoutAfterPatchRate: the patch went through, the answer was lost
                0.0, // staleReadRate: off; production reads are quorum reads from the API server (see F1)
                0.005, // watchErrorRate: find() throws (watch/connection dropped)
                0.01, // inventoryWatchDropRate: per reef and tick, the inventory watch stops for a while
                0.002, // neverAvailableRate: per upgrade patch
                0.001, // unhealthyRate: per upgrade patch, the health check fails for good
                0.03, // healthFlapRate: per health check
                0.0015, // crashRate: per store write and cluster call, before or after it
                0.002, // dbErrorRate: per store call
                0.001, // leadershipLossRate: per store write, and per tick between ticks
                0.004, // gateFlapRate: per tick, a reef's gate closes for a while
                0.001, // gateOutageRate: per tick, andon-service unreachable for a while (closed everywhere)
                0.002, // freezeRate: per tick, a freeze is created (global, reef or tenant)
                0.0015, // clockJumpRate: per tick, 1-6 hours pass at once
                0.0008, // newReleaseRate: per tick, a newer release supersedes the current one mid-ring
                0.0003, // oldReleaseRate: per tick, an older version is registered late (must change nothing)
                0.2); // expediteRate
    }

    SimConfig with(int ticks, int instances) {
        return new SimConfig(
                seed,
                ticks,
                tickMinutes,
                instances,
                calmFraction,
                drainDays,
                apiErrorRate,
                apiRefusedRate,
                timeoutAfterPatchRate,
                staleReadRate,
                watchErrorRate,
                inventoryWatchDropRate,
                neverAvailableRate,
                unhealthyRate,
                healthFlapRate,
                crashRate,
                dbErrorRate,
                leadershipLossRate,
                gateFlapRate,
                gateOutageRate,
                freezeRate,
                clockJumpRate,
                newReleaseRate,
                oldReleaseRate,
                expediteRate);
    }

    static SimConfig fromSystemProperties(long seed) {
        SimConfig d = defaults(seed);
        return new SimConfig(
                seed,
                Integer.getInteger("sim.ticks", d.ticks),
                Integer.getInteger("sim.tickMinutes", d.tickMinutes),
                Integer.getInteger("sim.instances", d.instances),
                rate("calmFraction", d.calmFraction),
                Integer.getInteger("sim.drainDays", d.drainDays),
                rate("apiErrorRate", d.apiErrorRate),
                rate("apiRefusedRate", d.apiRefusedRate),
                rate("timeoutAfterPatchRate", d.timeoutAfterPatchRate),
                rate("staleReadRate", d.staleReadRate),
                rate("watchErrorRate", d.watchErrorRate),
                rate("inventoryWatchDropRate", d.inventoryWatchDropRate),
                rate("neverAvailableRate", d.neverAvailableRate),
                rate("unhealthyRate", d.unhealthyRate),
                rate("healthFlapRate", d.healthFlapRate),
                rate("crashRate", d.crashRate),
                rate("dbErrorRate", d.dbErrorRate),
                rate("leadershipLossRate", d.leadershipLossRate),
                rate("gateFlapRate", d.gateFlapRate),
                rate("gateOutageRate", d.gateOutageRate),
                rate("freezeRate", d.freezeRate),
                rate("clockJumpRate", d.clockJumpRate),
                rate("newReleaseRate", d.newReleaseRate),
                rate("oldReleaseRate", d.oldReleaseRate),
                rate("expediteRate", d.expediteRate));
    }

    private static double rate(String name, double fallback) {
        String value = System.getProperty("sim." + name);
        return value == null || value.isBlank() ? fallback : Double.parseDouble(value);
    }
}
