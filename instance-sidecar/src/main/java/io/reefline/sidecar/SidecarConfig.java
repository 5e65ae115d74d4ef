package io.reefline.sidecar;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the sidecar needs, read from environment variables (see README.md for the list and defaults).
 *
 * @param token a fixed bearer token ({@code SIDECAR_TOKEN})
 * @param tokenFile where the pod's projected service-account token is ({@code SIDECAR_TOKEN_FILE}), read again when
 *     it changes: how a sidecar proves to its reef's cell which instance it runs beside
 * @param versionUrl polled on every check for the instance's version (plain text, or JSON with a {@code version} field)
 * @param version a fixed version when there is no version URL, e.g. the image tag the pod was started with; without
 *     either, the {@code version} field of the health answer is used
 * @param signalsUrl where signal samples go ({@code POST <signalsUrl>/api/signals}): by default the metrics URL, the
 *     sidecar's reef's cell in the fleet, like its other reports
 * @param signalInterval the window of one signal sample
 * @param prometheusUrl the instance's own Prometheus endpoint, scraped once per window for its request counters
 * @param counters the names of the counters read from it
 * @param spoolDir where queued reports are kept so a restarted sidecar still sends them; none: memory only
 */
public record SidecarConfig(
        String instanceId,
        URI healthUrl,
        URI andonUrl,
        URI metricsUrl,
        Optional<String> token,
        Optional<Path> tokenFile,
        Optional<URI> versionUrl,
        Optional<String> version,
        Duration interval,
        Duration timeout,
        int failuresBeforeDown,
        Duration unhealthyThreshold,
        Duration watchWindow,
        String severity,
        int maxQueuedReports,
        URI signalsUrl,
        Duration signalInterval,
        Optional<URI> prometheusUrl,
        Counters counters,
        Optional<Path> spoolDir) {

    /**
     * The Prometheus series the sidecar reads: request and 5xx counters, the request-duration summary or histogram's
     * base name ({@code _sum} and {@code _count} are appended) and the process start time (its change is a restart).
     */
    public record Counters(String requests, String errors, String duration, String startTime) {}

    public SidecarConfig {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("SIDECAR_INTERVAL must be positive");
        }
        if (failuresBeforeDown < 1) {
            throw new IllegalArgumentException("SIDECAR_FAILURES_BEFORE_DOWN must be at least 1");
        }
        if (token.isPresent() && tokenFile.isPresent()) {
            throw new IllegalArgumentException("Set SIDECAR_TOKEN or SIDECAR_TOKEN_FILE, not both");
        }
        if (tokenFile.isPresent() && !Files.isReadable(tokenFile.get())) {
            throw new IllegalArgumentException("SIDECAR_TOKEN_FILE " + tokenFile.get() + " cannot be read");
        }
        if (!severity.matches("SEV-[0-3]")) {
            throw new IllegalArgumentException("SIDECAR_SEVERITY must be SEV-0, SEV-1, SEV-2 or SEV-3");
        }
        if (maxQueuedReports < 1) {
            throw new IllegalArgumentException("SIDECAR_MAX_QUEUED_REPORTS must be at least 1");
        }
        // The hub takes windows of at most an hour; one shorter than a check would hold no check.
        if (signalInterval.compareTo(interval) < 0 || signalInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "SIDECAR_SIGNAL_INTERVAL must be between SIDECAR_INTERVAL and PT1H, not " + signalInterval);
        }
    }

    /** Reads the configuration from {@code env}; a missing or malformed variable is named in the exception. */
    public static SidecarConfig fromEnvironment(Map<String, String> env) {
        return new SidecarConfig(
                required(env, "SIDECAR_INSTANCE_ID"),
                url(env, "SIDECAR_HEALTH_URL", required(env, "SIDECAR_HEALTH_URL")),
                url(env, "SIDECAR_ANDON_URL", required(env, "SIDECAR_ANDON_URL")),
                url(env, "SIDECAR_METRICS_URL", required(env, "SIDECAR_METRICS_URL")),
                optional(env, "SIDECAR_TOKEN"),
                optional(env, "SIDECAR_TOKEN_FILE").map(Path::of),
                optional(env, "SIDECAR_VERSION_URL").map(u -> url(env, "SIDECAR_VERSION_URL", u)),
                optional(env, "SIDECAR_VERSION"),
                duration(env, "SIDECAR_INTERVAL", "PT10S"),
                duration(env, "SIDECAR_TIMEOUT", "PT2S"),
                integer(env, "SIDECAR_FAILURES_BEFORE_DOWN", "2"),
                duration(env, "SIDECAR_UNHEALTHY_THRESHOLD", "PT5M"),
                duration(env, "SIDECAR_WATCH_WINDOW", "PT1H"),
                optional(env, "SIDECAR_SEVERITY").orElse("SEV-2"),
                integer(env, "SIDECAR_MAX_QUEUED_REPORTS", "1000"),
                optional(env, "SIDECAR_SIGNALS_URL")
                        .map(u -> url(env, "SIDECAR_SIGNALS_URL", u))
                        .orElseGet(() -> url(env, "SIDECAR_METRICS_URL", required(env, "SIDECAR_METRICS_URL"))),
                duration(env, "SIDECAR_SIGNAL_INTERVAL", "PT1M"),
                optional(env, "SIDECAR_PROMETHEUS_URL").map(u -> url(env, "SIDECAR_PROMETHEUS_URL", u)),
                new Counters(
                        metricName(env, "SIDECAR_PROMETHEUS_REQUESTS", "http_server_requests_total"),
                        metricName(env, "SIDECAR_PROMETHEUS_ERRORS", "http_server_errors_total"),
                        metricName(env, "SIDECAR_PROMETHEUS_DURATION", "http_server_request_duration_seconds"),
                        metricName(env, "SIDECAR_PROMETHEUS_START_TIME", "process_start_time_seconds")),
                optional(env, "SIDECAR_SPOOL_DIR").map(Path::of));
    }

    private static String metricName(Map<String, String> env, String name, String fallback) {
        String value = optional(env, name).orElse(fallback);
        if (!value.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException(name + " must be a Prometheus metric name, not " + value);
        }
        return value;
    }

    private static String required(Map<String, String> env, String name) {
        return optional(env, name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    private static Optional<String> optional(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static URI url(Map<String, String> env, String name, String value) {
        try {
            URI uri = URI.create(value.replaceAll("/+$", ""));
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new IllegalArgumentException(name + " must be an http(s) URL, not " + value);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, not " + value, e);
        }
    }

    private static Duration duration(Map<String, String> env, String name, String fallback) {
        String value = optional(env, name).orElse(fallback);
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT10S, not " + value, e);
        }
    }

    private static int integer(Map<String, String> env, String name, String fallback) {
        String value = optional(env, name).orElse(fallback);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not " + value, e);
        }
    }
}
