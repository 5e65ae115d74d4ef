package io.reefline.sidecar;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * What the sidecar observes of its instance, one sample per window ({@code SIDECAR_SIGNAL_INTERVAL}) for canary
 * analysis at the hub: the health checks it ran and how many failed, and, when the instance exposes a Prometheus
 * endpoint ({@code SIDECAR_PROMETHEUS_URL}), the requests, 5xx answers and mean latency of the window (deltas of its
 * counters between two scrapes) and whether it restarted (its process start time changed, or a counter went down).
 *
 * <p>A window ends early when the instance's version changes, so that a sample never mixes two versions. A sample
 * needs a version: without one the window is not reported. Each sample is queued with the {@code Idempotency-Key}
 * {@code signal-<instanceId>-<from epoch seconds>}, so a resend is stored once at the hub.
 *
 * <p>Not thread-safe: the sidecar's one scheduler thread calls {@link #observe}.
 */
final class InstanceSignals {

    static final String SIGNALS_PATH = "/api/signals";
    private static final Duration LONGEST_WINDOW = Duration.ofHours(1);

    /** One scrape's sums; a field is null when the instance has no such series. */
    record Counters(Double requests, Double errors, Double durationSum, Double durationCount, Double startTime) {}

    /** What a window's two scrapes say about it. */
    record Deltas(Long requests, Long errors, Double latencyMs, int restarts) {
        static final Deltas NONE = new Deltas(null, null, null, 0);
    }

    private final SidecarConfig config;
    private final ControlPlane http;
    private final PendingReports reports;

    private Instant windowStart;
    private String windowVersion;
    private int healthChecks;
    private int healthFailures;
    private Counters base;
    private boolean scrapeFailing;
    private boolean versionMissingLogged;

    InstanceSignals(SidecarConfig config, ControlPlane http, PendingReports reports) {
        this.config = config;
        this.http = http;
        this.reports = reports;
    }

    /**
     * One health check at {@code now}. A window is {@code [from, from + interval)}: the first check at or after its end
     * closes it (and is the next window's first); so does a check that sees another version.
     */
    void observe(Instant now, boolean healthy, String version) {
        if (windowStart == null) {
            open(now, version, scrape());
        } else if (!now.isBefore(windowStart.plus(config.signalInterval()))
                || (version != null && windowVersion != null && !version.equals(windowVersion))) {
            close(now);
            if (version != null) {
                windowVersion = version;
            }
        }
        if (windowVersion == null) {
            windowVersion = version;
        }
        healthChecks++;
        if (!healthy) {
            healthFailures++;
        }
    }

    private void open(Instant now, String version, Counters reading) {
        windowStart = now;
        windowVersion = version;
        healthChecks = 0;
        healthFailures = 0;
        base = reading;
    }

    private void close(Instant now) {
        Counters reading = scrape();
        Deltas deltas = deltas(base, reading);
        Instant from = windowStart;
        if (windowVersion == null) {
            if (!versionMissingLogged) {
                Log.warn("No version known for instance " + config.instanceId()
                        + ": its signals are not reported until one is (SIDECAR_VERSION, SIDECAR_VERSION_URL or the"
                        + " health answer's version field)");
                versionMissingLogged = true;
            }
        } else if (!now.isAfter(from) || Duration.between(from, now).compareTo(LONGEST_WINDOW) > 0) {
            Log.warn("Not reporting the signals of " + from + " .. " + now
                    + ": a window must be longer than zero and at most an hour");
        } else {
            queue(from, now, deltas);
        }
        open(now, windowVersion, reading);
    }

    private void queue(Instant from, Instant to, Deltas deltas) {
        Map<String, Object> sample = new LinkedHashMap<>();
        sample.put("instanceId", config.instanceId());
        sample.put("version", windowVersion);
        sample.put("from", from.toString());
        sample.put("to", to.toString());
        sample.put("requests", deltas.requests());
        sample.put("errors", deltas.errors());
        sample.put("latencyMs", deltas.latencyMs());
        sample.put("healthChecks", healthChecks);
        sample.put("healthFailures", healthFailures);
        sample.put("restarts", deltas.restarts());
        reports.addSample(
                "signals " + from + " .. " + to,
                URI.create(config.signalsUrl() + SIGNALS_PATH),
                Json.object(sample),
                key(config.instanceId(), from),
                to);
    }

    /** The sample's key: one per instance and window start, the same on every resend and after a restart. */
    static String key(String instanceId, Instant from) {
        return "signal-" + instanceId + "-" + from.getEpochSecond();
    }

    /** The instance's counters now; null without an endpoint or when it did not answer with them. */
    private Counters scrape() {
        if (config.prometheusUrl().isEmpty()) {
            return null;
        }
        ControlPlane.Answer answer = http.get(config.prometheusUrl().get());
        if (!answer.ok()) {
            if (!scrapeFailing) {
                Log.warn("Cannot read the counters of instance " + config.instanceId() + " at "
                        + config.prometheusUrl().get() + " (" + answer.summary() + "); its samples carry none until"
                        + " two scrapes in a row succeed");
            }
            scrapeFailing = true;
            return null;
        }
        if (scrapeFailing) {
            Log.info("Reading the counters of instance " + config.instanceId() + " again");
        }
        scrapeFailing = false;
        return counters(PrometheusText.parse(answer.body()), config.counters());
    }

    static Counters counters(PrometheusText text, SidecarConfig.Counters names) {
        Double requests = value(text.sum(names.requests()));
        // A labelled error counter has no series before the first 5xx: none then.
        Double errors = requests == null ? null : value(text.sum(names.errors()));
        return new Counters(
                requests,
                errors == null && requests != null ? Double.valueOf(0) : errors,
                value(text.sum(names.duration() + "_sum")),
                value(text.sum(names.duration() + "_count")),
                value(text.sum(names.startTime())));
    }

    /**
     * The window between two scrapes. A changed process start time is a restart; so is a counter that went down (a
     * restart the start time missed): the counters then started again from zero, so their new values are the
     * window's counts.
     */
    static Deltas deltas(Counters before, Counters after) {
        if (before == null || after == null) {
            return Deltas.NONE;
        }
        boolean restarted = before.startTime() != null
                && after.startTime() != null
                && !before.startTime().equals(after.startTime());
        boolean reset = wentDown(before.requests(), after.requests())
                || wentDown(before.errors(), after.errors())
                || wentDown(before.durationSum(), after.durationSum())
                || wentDown(before.durationCount(), after.durationCount());
        boolean fresh = restarted || reset;
        Double requests = delta(before.requests(), after.requests(), fresh);
        Double errors = delta(before.errors(), after.errors(), fresh);
        Double sum = delta(before.durationSum(), after.durationSum(), fresh);
        Double count = delta(before.durationCount(), after.durationCount(), fresh);
        Long requestCount = requests == null ? null : Math.round(requests);
        // Two counters are never read at one instant: a 5xx counted before its request is clamped, not sent as more
        // errors than requests.
        Long errorCount = requestCount == null || errors == null ? null : Math.min(Math.round(errors), requestCount);
        Double latency = sum == null || count == null || count <= 0 ? null : sum / count * 1000;
        return new Deltas(
                errorCount == null ? null : requestCount,
                errorCount,
                latency == null || !Double.isFinite(latency) ? null : Math.round(latency * 1000) / 1000.0,
                fresh ? 1 : 0);
    }

    private static boolean wentDown(Double before, Double after) {
        return before != null && after != null && after < before;
    }

    private static Double delta(Double before, Double after, boolean fresh) {
        if (before == null || after == null) {
            return null;
        }
        return fresh ? after : after - before;
    }

    private static Double value(OptionalDouble sum) {
        return sum.isPresent() ? sum.getAsDouble() : null;
    }
}
