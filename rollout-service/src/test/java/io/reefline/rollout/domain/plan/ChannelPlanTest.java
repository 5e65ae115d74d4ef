package io.reefline.rollout.domain.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reefline.platform.version.Version;
import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.PinnedRing;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.policy.Ring;
import io.reefline.rollout.domain.policy.RingPolicy;
import io.reefline.rollout.domain.policy.RingSelector;
import io.reefline.rollout.domain.window.MaintenanceWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Channels partition the fleet: a release plans, forecasts and draws canaries among its own channel only. */
class ChannelPlanTest {

    private static final Instant SHIP = Instant.parse("2026-03-02T08:00:00Z");
    private static final Version OLD = Version.parse("2026.11.2");
    private static final Version NEW = Version.parse("2026.11.3");

    private static final RingPolicy POLICY = new RingPolicy(
            List.of(
                    new Ring("Canary", new RingSelector.Percentage(50), Duration.ZERO, Duration.ofDays(1), false),
                    new Ring("Rest", new RingSelector.Remainder(), Duration.ZERO, Duration.ofDays(1), false)),
            10,
            Duration.ofMinutes(30),
            0);

    private static Instance instance(String id, String channel) {
        return new Instance(
                        id,
                        "reef-eu-1",
                        "eu",
                        "tenant-" + id,
                        MaintenanceWindow.parse("Daily 09:00-12:00"),
                        true,
                        PinnedRing.NONE,
                        false,
                        OLD)
                .inChannel(channel);
    }

    private static List<Instance> fleet() {
        List<Instance> fleet = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            fleet.add(instance("s-" + i, "stable"));
            fleet.add(instance("b-" + i, "beta"));
        }
        return fleet;
    }

    private static Release release(String channel) {
        return Release.of(NEW, "app:" + NEW, channel, SHIP, List.of());
    }

    @Test
    void shouldPlanOnlyTheInstancesOfTheReleasesChannel() {
        List<Instance> fleet = fleet();
        Release beta = release("beta");
        // Even an assignment drawn over the whole fleet does not let another channel's instance into the plan.
        RingAssignment careless = RingAssignment.assign(POLICY, fleet, 7, List.of());

        Plan plan = new Planner()
                .plan(PlanRequest.builder(fleet, POLICY, beta, careless).at(SHIP));

        assertEquals(6, plan.instances().size());
        assertTrue(
                plan.instances().stream().allMatch(p -> p.instanceId().startsWith("b-")), plan.instances()::toString);
        assertTrue(plan.startableNow().stream().allMatch(p -> p.instanceId().startsWith("b-")));
        assertTrue(!plan.startableNow().isEmpty(), "the beta canaries start at once");
        assertEquals(6, plan.rings().stream().mapToInt(RingProgress::total).sum());
    }

    @Test
    void shouldForecastAndDrawCanariesAmongTheReleasesChannelOnly() {
        Forecast forecast = new Planner().forecast(fleet(), POLICY, release("beta"), SHIP, 7, List.of(), List.of());

        assertEquals("beta", forecast.channel());
        assertEquals(
                List.of("b-1", "b-2", "b-3", "b-4", "b-5", "b-6"),
                forecast.instances().stream()
                        .map(InstancePlan::instanceId)
                        .sorted()
                        .toList());
        assertEquals(6, forecast.leadTimes().reached());
        assertEquals(3, forecast.ring("Canary").orElseThrow().total(), "50% of the 6 beta instances");
        assertEquals(
                6,
                forecast.windowStartsByReefAndHour().get("reef-eu-1").values().stream()
                        .mapToInt(Integer::intValue)
                        .sum(),
                "the histogram counts the channel's instances");
    }

    @Test
    void shouldPlanNothingForAChannelWithoutInstances() {
        List<Instance> fleet = fleet();
        Release nightly = release("nightly");
        Plan plan = new Planner()
                .plan(PlanRequest.builder(fleet, POLICY, nightly, RingAssignment.assign(POLICY, fleet, 7, List.of()))
                        .at(SHIP));
        assertEquals(List.of(), plan.instances());
        assertEquals(List.of(), plan.startableNow());
    }
}
