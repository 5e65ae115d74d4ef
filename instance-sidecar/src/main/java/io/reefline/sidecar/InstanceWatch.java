package io.reefline.sidecar;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Watches one customer instance, one health check per {@link #check()}:
 *
 * <ul>
 *   <li><b>Availability.</b> After {@code failuresBeforeDown} failed checks in a row the instance is down, since the
 *       first of them; the next good check ends the outage and one downtime event (start and end) goes to
 *       metrics-service. Failures before the instance was first healthy are its start-up, not an outage.
 *   <li><b>Stop the line.</b> When the instance's version changes (the first version seen counts: a new pod usually
 *       means an upgrade) and the instance then stays unhealthy for longer than {@code unhealthyThreshold}, with the
 *       streak starting within {@code watchWindow} of the change, a cord is pulled for {@code release:<version>}
 *       with the evidence. At most one pull per version.
 *   <li><b>Signals.</b> Every check counts in the current signal window ({@link InstanceSignals}); a full window is
 *       reported to the cell for canary analysis.
 * </ul>
 *
 * Not thread-safe: one scheduler thread calls {@link #check()}.
 */
final class InstanceWatch {

    static final String DOWNTIME_PATH = "/api/events/downtime";
    static final String CORDS_PATH = "/api/cords";
    private static final int STATUSES_KEPT = 5;

    private final SidecarConfig config;
    private final ControlPlane http;
    private final PendingReports reports;
    private final InstanceSignals signals;
    private final Clock clock;

    private boolean everHealthy;
    private boolean down;
    private int failuresInARow;
    private Instant firstFailureAt;
    private final Deque<String> lastStatuses = new ArrayDeque<>();

    private String version;
    private Instant versionSeenAt;
    private final Set<String> pulledVersions = new HashSet<>();

    InstanceWatch(SidecarConfig config, ControlPlane http, PendingReports reports, Clock clock) {
        this.config = config;
        this.http = http;
        this.reports = reports;
        this.signals = new InstanceSignals(config, http, reports);
        this.clock = clock;
    }

    /** One pass: read the version, check health, report what changed, send what is owed. */
    void check() {
        Instant now = clock.instant();
        ControlPlane.Answer health = http.get(config.healthUrl());
        currentVersion(health).ifPresent(seen -> {
            if (!seen.equals(version)) {
                Log.info("Instance " + config.instanceId() + " runs version " + seen
                        + (version == null ? "" : " (was " + version + ")"));
                version = seen;
                versionSeenAt = now;
            }
        });
        remember(health.summary());
        if (health.ok()) {
            healthy(now);
        } else {
            unhealthy(now);
        }
        signals.observe(now, health.ok(), version);
        reports.sendDue(now);
    }

    private void healthy(Instant now) {
        if (down) {
            Log.info("Instance " + config.instanceId() + " is up again; it was down since " + firstFailureAt);
            reportDowntime(firstFailureAt, now);
        }
        down = false;
        everHealthy = true;
        failuresInARow = 0;
        firstFailureAt = null;
    }

    private void unhealthy(Instant now) {
        failuresInARow++;
        if (failuresInARow == 1) {
            firstFailureAt = now;
        }
        if (!down && everHealthy && failuresInARow >= config.failuresBeforeDown()) {
            down = true;
            Log.warn("Instance " + config.instanceId() + " is down since " + firstFailureAt);
        }
        if (shouldPull(now)) {
            pull(now);
        }
    }

    private boolean shouldPull(Instant now) {
        if (version == null || pulledVersions.contains(version)) {
            return false;
        }
        // A streak that began before the change counts from the change: the new version has been unhealthy since.
        Instant unhealthySince = firstFailureAt.isAfter(versionSeenAt) ? firstFailureAt : versionSeenAt;
        boolean soonAfterChange = !unhealthySince.isAfter(versionSeenAt.plus(config.watchWindow()));
        return soonAfterChange && Duration.between(unhealthySince, now).compareTo(config.unhealthyThreshold()) > 0;
    }

    private void pull(Instant now) {
        pulledVersions.add(version);
        Instant since = firstFailureAt.isAfter(versionSeenAt) ? firstFailureAt : versionSeenAt;
        String reason = "Instance " + config.instanceId() + " has been unhealthy since " + since + " ("
                + minutes(Duration.between(since, now)) + "), after it started running version " + version + " at "
                + versionSeenAt + ". Last health checks of " + config.healthUrl() + ", oldest first: "
                + String.join(", ", lastStatuses) + ". Pulled automatically by the instance sidecar.";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        body.put("category", "doesnt-look-right");
        body.put("severity", config.severity());
        body.put("scope", "release:" + version);
        body.put("suspectedRelease", version);
        Log.warn("Pulling the andon cord for release " + version + ": " + reason);
        reports.add(
                "cord pull for release " + version,
                endpoint(config.andonUrl(), CORDS_PATH),
                Json.object(body),
                pullKey(config.instanceId(), version),
                now);
    }

    /**
     * The key of this instance's one pull for a version: the same for every resend, also after the sidecar restarted,
     * so a cord is opened once even when an answer was lost on the way back.
     */
    static String pullKey(String instanceId, String version) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((instanceId + "\n" + version).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sidecar-" + java.util.HexFormat.of().formatHex(digest, 0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private void reportDowntime(Instant start, Instant end) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("instanceId", config.instanceId());
        body.put("start", start.toString());
        body.put("end", end.toString());
        body.put("planned", false);
        body.put("source", "sidecar");
        reports.add(
                "downtime " + start + " .. " + end,
                endpoint(config.metricsUrl(), DOWNTIME_PATH),
                Json.object(body),
                end);
    }

    /**
     * The instance's version: from the version URL when configured, else the fixed {@code SIDECAR_VERSION}, else the
     * {@code version} field of the health answer. Empty when the source does not say (the last known one stays).
     */
    private Optional<String> currentVersion(ControlPlane.Answer health) {
        if (config.versionUrl().isEmpty() && config.version().isPresent()) {
            return config.version();
        }
        ControlPlane.Answer answer =
                config.versionUrl().isPresent() ? http.get(config.versionUrl().get()) : health;
        String body = answer.body().strip();
        // An unhealthy answer may still name the version (a health endpoint's JSON); plain text counts only on 2xx.
        Optional<String> parsed =
                body.startsWith("{") ? Json.versionField(body) : answer.ok() ? Optional.of(body) : Optional.empty();
        return parsed.map(String::strip).filter(v -> !v.isEmpty() && v.length() <= 100);
    }

    private void remember(String status) {
        if (lastStatuses.size() == STATUSES_KEPT) {
            lastStatuses.removeFirst();
        }
        lastStatuses.addLast(status);
    }

    private static URI endpoint(URI base, String path) {
        return URI.create(base.toString() + path);
    }

    private static String minutes(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s" : (seconds / 60) + " min";
    }

    /** For tests and logs: versions a cord was pulled for. */
    Set<String> pulledVersions() {
        return Set.copyOf(pulledVersions);
    }
}
