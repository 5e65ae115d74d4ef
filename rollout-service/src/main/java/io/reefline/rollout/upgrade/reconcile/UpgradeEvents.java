package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.analysis.Verdict;
import io.reefline.rollout.domain.upgrade.Upgrade;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What a transition tells other services. Ids come from the upgrade and the transition, so a transition replayed after a
 * crash enqueues the same ids and metrics-service and andon-service take it once.
 */
public final class UpgradeEvents {

    public static final String METRICS = "metrics";
    public static final String ANDON = "andon";

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

    /**
     * andon-service's pull request body for a cord canary analysis pulls: the cord's fields plus when the release first
     * reached an instance ({@code impactStartedAt}), when the analysis saw the problem ({@code detectedAt}), the ring
     * that saw it and the verdict as evidence.
     */
    public record AnalysisCordPull(
            String reason,
            String category,
            String severity,
            String scope,
            String suspectedRelease,
            List<String> links,
            Instant impactStartedAt,
            Instant detectedAt,
            String ring,
            Verdict evidence) {}

    private static final int MAX_REASON = 2000;

    private final String cordSeverity;
    private final Optional<String> consoleUrl;

    public UpgradeEvents(String cordSeverity, Optional<String> consoleUrl) {
        this.cordSeverity = cordSeverity;
        this.consoleUrl = consoleUrl;
    }

    /** The id of one event of one upgrade: the same upgrade and kind always give the same id. */
    public static UUID id(Upgrade upgrade, String kind) {
        return UUID.nameUUIDFromBytes(("reefline-upgrade:" + upgrade.id + ":" + upgrade.instanceId + ":"
                        + upgrade.releaseVersion + ":" + kind)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A successful upgrade: the deployment, and its duration as planned downtime. */
    public List<OutgoingEvent> succeeded(Upgrade upgrade) {
        List<OutgoingEvent> events = new ArrayList<>();
        events.add(deployment(upgrade, true));
        downtime(upgrade, true).ifPresent(events::add);
        return events;
    }

    /** A failed upgrade: the failed deployment and the cord (whose id the upgrade keeps). */
    public List<OutgoingEvent> failed(Upgrade upgrade) {
        return List.of(deployment(upgrade, false), cord(upgrade));
    }

    /** An upgrade failed by canary analysis: the failed deployment; the cord is the analysis' own. */
    public List<OutgoingEvent> failedByAnalysis(Upgrade upgrade) {
        return List.of(deployment(upgrade, false));
    }

    /** The failed upgrade's time, from start to restore, as unplanned downtime. */
    public List<OutgoingEvent> restored(Upgrade upgrade) {
        return downtime(upgrade, false).map(List::of).orElse(List.of());
    }

    /**
     * Pulls a cord for the failed upgrade's release, with the evidence: instance, reef, images, and what the cluster or
     * the check said.
     */
    OutgoingEvent cord(Upgrade upgrade) {
        String reason = "Upgrade of instance " + upgrade.instanceId + " (reef " + upgrade.reef + ", ring "
                + upgrade.ring + ") to " + upgrade.releaseVersion + " failed: "
                + upgrade.reason.strip().replaceAll("[.\\s]+$", "")
                + ". Restoring its previous image " + upgrade.previousImage + "; no further instance is upgraded to "
                + upgrade.releaseVersion + " while this cord is open. Image tried: " + upgrade.targetImage + ".";
        List<String> links = consoleUrl
                .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
                .map(url -> List.of(URI.create(url.replaceAll("/+$", "") + "/ui/instances/" + upgrade.instanceId)
                        .toString()))
                .orElse(List.of());
        return new OutgoingEvent(
                cordId(upgrade),
                ANDON,
                "/api/cords",
                new CordPull(
                        reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 3) + "..." : reason,
                        "cant-deploy",
                        cordSeverity,
                        "release:" + upgrade.releaseVersion,
                        upgrade.releaseVersion,
                        links));
    }

    /**
     * The cord canary analysis pulls for a release whose ring failed it. Its id comes from the release and the ring, so a
     * verdict stored again after a crash enqueues the same cord and andon-service opens it once.
     */
    OutgoingEvent analysisCord(
            String releaseVersion, String ring, Verdict verdict, Instant impactStartedAt, Instant detectedAt) {
        String reason = "Canary analysis failed release " + releaseVersion + " in ring " + ring + ": "
                + verdict.summary().strip().replaceAll("[.\\s]+$", "")
                + ". No further instance is upgraded to " + releaseVersion
                + "; upgraded instances stay as they are (the fix is a newer release).";
        List<String> links = consoleUrl
                .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
                .map(url -> List.of(
                        URI.create(url.replaceAll("/+$", "") + "/ui/releases").toString()))
                .orElse(List.of());
        List<String> named = verdict.canaryInstances();
        Verdict evidence = named.size() <= AnalysisStep.EVIDENCE_INSTANCES
                ? verdict
                : new Verdict(
                        verdict.outcome(),
                        verdict.from(),
                        verdict.to(),
                        verdict.metrics(),
                        named.subList(0, AnalysisStep.EVIDENCE_INSTANCES),
                        verdict.controlInstances(),
                        verdict.summary());
        return new OutgoingEvent(
                analysisCordId(releaseVersion, ring),
                ANDON,
                "/api/cords",
                new AnalysisCordPull(
                        reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON - 3) + "..." : reason,
                        "doesnt-look-right",
                        cordSeverity,
                        "release:" + releaseVersion,
                        releaseVersion,
                        links,
                        impactStartedAt,
                        detectedAt,
                        ringName(ring),
                        evidence));
    }

    public static UUID analysisCordId(String releaseVersion, String ring) {
        return UUID.nameUUIDFromBytes(
                ("reefline-analysis:" + releaseVersion + ":" + ring + ":cord").getBytes(StandardCharsets.UTF_8));
    }

    public static UUID cordId(Upgrade upgrade) {
        return id(upgrade, "cord");
    }

    private OutgoingEvent deployment(Upgrade upgrade, boolean success) {
        UUID id = id(upgrade, "deployment");
        Instant finished = success ? upgrade.finishedAt : upgrade.failedAt;
        return new OutgoingEvent(
                id,
                METRICS,
                "/api/events/deployments",
                new DeploymentFinished(
                        id,
                        upgrade.instanceId,
                        upgrade.releaseVersion,
                        ringName(upgrade.ring),
                        upgrade.startedAt == null ? upgrade.plannedAt : upgrade.startedAt,
                        finished,
                        success));
    }

    /** metrics-service takes ring names like {@code canary}: lower case, digits and dashes. */
    public static String ringName(String ring) {
        String name = ring == null ? "none" : ring.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        name = name.replaceAll("^-+", "");
        name = name.isEmpty() ? "none" : name;
        return name.length() > 40 ? name.substring(0, 40) : name;
    }

    private Optional<OutgoingEvent> downtime(Upgrade upgrade, boolean planned) {
        if (upgrade.startedAt == null || !upgrade.finishedAt.isAfter(upgrade.startedAt)) {
            return Optional.empty(); // metrics-service takes only downtime with a length
        }
        UUID id = id(upgrade, "downtime");
        return Optional.of(new OutgoingEvent(
                id,
                METRICS,
                "/api/events/downtime",
                new Downtime(id, upgrade.instanceId, upgrade.startedAt, upgrade.finishedAt, planned, "rollout")));
    }
}
