package io.reefline.sandbox;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how often the sandbox reports its instances' signal samples, as their sidecars would.
 *
 * @param cells the base URL of each reef's cell, by reef name; the samples of a reef not named here are not reported
 *     (none named: reporting is off)
 * @param interval the length of a window: one sample per instance per window, windows aligned to the epoch
 */
public record SignalReporting(Map<String, URI> cells, Duration interval) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    public SignalReporting {
        Objects.requireNonNull(cells, "cells");
        cells.forEach((reef, url) -> {
            Objects.requireNonNull(url, "the cell URL of " + reef);
            if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("the cell URL of " + reef + " must be an http(s) URL, was " + url);
            }
        });
        cells = Map.copyOf(new LinkedHashMap<>(cells));
        Objects.requireNonNull(interval, "interval");
        if (interval.compareTo(Duration.ofSeconds(1)) < 0
                || interval.compareTo(Duration.ofHours(1)) > 0
                || interval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException(
                    "the signals interval must be whole seconds from PT1S to PT1H, was " + interval);
        }
    }

    /** Off, with windows of 15 s once cells are named. */
    public static SignalReporting off() {
        return new SignalReporting(Map.of(), DEFAULT_INTERVAL);
    }

    public boolean enabled() {
        return !cells.isEmpty();
    }
}
