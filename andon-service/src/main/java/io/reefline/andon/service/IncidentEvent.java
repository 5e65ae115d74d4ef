package io.reefline.andon.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What metrics-service learns of a cord: detected (the cord's {@code detectedAt}, else its pull time), resolved = fix
 * time, and, for an automatic pull, when the impact started and the ring that detected it. Sent through the outbox to
 * {@code POST /api/events/incidents}; {@code id} is the event id metrics-service deduplicates by.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentEvent(
        UUID id,
        String incidentId,
        String title,
        String severity,
        Instant impactStartedAt,
        Instant detectedAt,
        Instant resolvedAt,
        String causingRelease,
        String fixVersion,
        String source,
        List<String> links,
        String ring,
        Instant occurredAt) {

    public static final String PATH = "/api/events/incidents";
    public static final String SOURCE = "andon";
}
