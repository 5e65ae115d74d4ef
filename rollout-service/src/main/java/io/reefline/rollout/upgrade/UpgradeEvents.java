package io.reefline.rollout.upgrade;

import io.reefline.platform.outbox.Outbox;
import io.reefline.rollout.persistence.UpgradeEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the scheduler tells other services, always through the outbox inside the transaction that records the state
 * change, so an event is neither lost nor sent for a change that did not commit.
 */
@ApplicationScoped
public class UpgradeEvents {

    static final String METRICS = "metrics";
    static final String ANDON = "andon";

    /** metrics-service's deployment event: one per finished upgrade, failed ones with {@code success=false}. */
    public record DeploymentFinished(
            UUID id,
            String instanceId,
            String release,
            String ring,
            Instant startedAt,
            Instant finishedAt,
            boolean success) {}

    /** metrics-service's downtime event: an upgrade's time counts as planned maintenance; a failed one's does not. */
    public record Downtime(UUID id, String instanceId, Instant start, Instant end, boolean planned, String source) {}

    /** andon-service's pull request body. */
    public record CordPull(
            String reason,
            String category,
            String severity,
            String scope,
            String suspectedRelease,
            List<String> links) {}

    private static final int MAX_REASON = 2000;

    private final Outbox outbox;
    private final UpgradeSettings settings;

    UpgradeEvents(Outbox outbox, UpgradeSettings settings) {
        this.outbox = outbox;
        this.settings = settings;
    }

    /** A successful upgrade: the deployment, and its duration as planned downtime. Call inside the transaction. */
    void succeeded(UpgradeEntity upgrade) {
        deployment(upgrade, true);
        downtime(upgrade, true);
    }

    /** A failed upgrade: the failed deployment now; the downtime once it is restored. Call inside the transaction. */
    void failed(UpgradeEntity upgrade) {
        deployment(upgrade, false);
    }

    /** The failed upgrade's time, from start to restore, as unplanned downtime. Call inside the transaction. */
    void restored(UpgradeEntity upgrade) {
        downtime(upgrade, false);
    }

    /**
     * Pulls a cord for the failed upgrade's release, with the evidence: instance, reef, images, and what the cluster or
     * the check said. Returns the event id; the release holds until andon-service has it.
     */
    UUID pullCord(UpgradeEntity upgrade) {
        UUID id = UUID.randomUUID();
        String reason = "Upgrade of instance " + upgrade.instanceId + " (reef " + upgrade.reef + ", ring "
                + upgrade.ring + ") to " + upgrade.releaseVersion + " failed: "
                + upgrade.reason.strip().replaceAll("[.\\s]+$", "")
                + ". Restoring its previous image " + upgrade.previousImage + "; no further instance is upgraded to "
                + upgrade.releaseVersion + " while this cord is open. Image tried: " + upgrade.targetImage + ".";
        List<String> links = settings.consoleUrl()
                .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
                .map(url -> List.of(URI.create(url.replaceAll("/+$", "") + "/ui/instances/" + upgrade.instanceId)
                        .toString()))
                .orElse(List.of());
        outbox.enqueue(
                ANDON,
                "/api/cords",
                id,
                new CordPull(
                        reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 3) + "..." : reason,
                        "cant-deploy",
                        settings.cordSeverity(),
                        "release:" + upgrade.releaseVersion,
                        upgrade.releaseVersion,
                        links));
        return id;
    }

    private void deployment(UpgradeEntity upgrade, boolean success) {
        UUID id = UUID.randomUUID();
        Instant finished = success ? upgrade.finishedAt : upgrade.failedAt;
        outbox.enqueue(
                METRICS,
                "/api/events/deployments",
                id,
                new DeploymentFinished(
                        id,
                        upgrade.instanceId,
                        upgrade.releaseVersion,
                        ringName(upgrade.ring),
                        upgrade.startedAt,
                        finished,
                        success));
    }

    /** metrics-service takes ring names like {@code canary}: lower case, digits and dashes. */
    static String ringName(String ring) {
        String name =
                ring == null ? "none" : ring.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        name = name.replaceAll("^-+", "");
        name = name.isEmpty() ? "none" : name;
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    private void downtime(UpgradeEntity upgrade, boolean planned) {
        if (upgrade.startedAt == null || !upgrade.finishedAt.isAfter(upgrade.startedAt)) {
            return; // metrics-service takes only downtime with a length
        }
        UUID id = UUID.randomUUID();
        outbox.enqueue(
                METRICS,
                "/api/events/downtime",
                id,
                new Downtime(id, upgrade.instanceId, upgrade.startedAt, upgrade.finishedAt, planned, "rollout"));
    }
}
