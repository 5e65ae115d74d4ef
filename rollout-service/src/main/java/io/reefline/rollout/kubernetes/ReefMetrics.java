package io.reefline.rollout.kubernetes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Per reef, for Prometheus: {@code reefline_reef_reachable} (1 when its last probe got an answer, else 0),
 * {@code reefline_reef_contact_age_seconds} (since its API last answered; since this service started when it never
 * did) and {@code reefline_reef_upgrade_failures} (failed upgrade calls in a row: above 0 the scheduler backs the reef
 * off). Read from what the probes recorded: a scrape never waits for a reef.
 */
@ApplicationScoped
public class ReefMetrics {

    private final Reefs reefs;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Instant started;

    ReefMetrics(Reefs reefs, MeterRegistry meters, Clock clock) {
        this.reefs = reefs;
        this.meters = meters;
        this.clock = clock;
        this.started = clock.instant();
    }

    void register(@Observes StartupEvent event) {
        for (Reef reef : reefs.all()) {
            Tags tags = Tags.of("reef", reef.name(), "region", reef.region());
            Gauge.builder("reefline.reef.reachable", reef, r -> r.reachability().reachable() ? 1 : 0)
                    .description("1 while the reef's Kubernetes API answers rollout-service's probes, else 0")
                    .tags(tags)
                    .strongReference(true)
                    .register(meters);
            Gauge.builder("reefline.reef.contact.age", reef, this::secondsSinceContact)
                    .description("Seconds since the reef's Kubernetes API last answered (since start-up if never)")
                    .baseUnit("seconds")
                    .tags(tags)
                    .strongReference(true)
                    .register(meters);
            Gauge.builder(
                            "reefline.reef.upgrade.failures",
                            reef,
                            r -> r.upgradeCalls().failures())
                    .description("Failed upgrade calls to the reef in a row; above 0 the scheduler backs it off")
                    .tags(tags)
                    .strongReference(true)
                    .register(meters);
        }
    }

    private double secondsSinceContact(Reef reef) {
        Instant contact = reef.reachability().lastContact();
        Duration age = Duration.between(contact == null ? started : contact, clock.instant());
        return Math.max(0, age.toMillis() / 1000.0);
    }
}
