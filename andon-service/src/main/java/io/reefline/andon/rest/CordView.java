package io.reefline.andon.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reefline.andon.persistence.CordEntity;
import io.reefline.andon.persistence.CordTransitionEntity;
import java.time.Instant;
import java.util.List;

/** A cord as the API shows it, with its history. */
public record CordView(
        long id,
        String state,
        String reason,
        String category,
        String categoryDescription,
        String severity,
        String scope,
        String suspectedRelease,
        List<String> links,
        List<String> allowRings,
        String pulledBy,
        Instant pulledAt,
        String pulledInReef,
        Instant impactStartedAt,
        Instant detectedAt,
        String ring,
        JsonNode evidence,
        String resolvedBy,
        Instant resolvedAt,
        String resolution,
        String fixVersion,
        String closedBy,
        Instant closedAt,
        List<Transition> history) {

    /** One step of the cord's life. */
    public record Transition(String action, String actor, Instant at, String note) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored evidence as the JSON object it was sent as; null when the cord has none. */
    public static JsonNode evidenceOf(CordEntity cord) {
        if (cord.evidence == null) {
            return null;
        }
        try {
            return JSON.readTree(cord.evidence);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored evidence of cord " + cord.id + " is not JSON", e);
        }
    }

    public static CordView of(CordEntity cord, List<CordTransitionEntity> transitions) {
        return new CordView(
                cord.id,
                cord.state.name().toLowerCase(),
                cord.reason,
                cord.category.code(),
                cord.category.description(),
                cord.severity.label(),
                cord.scope,
                cord.suspectedRelease,
                List.copyOf(cord.links),
                List.copyOf(cord.allowRings),
                cord.pulledBy,
                cord.pulledAt,
                cord.pulledInReef,
                cord.impactStartedAt,
                cord.detectedAt,
                cord.ring,
                evidenceOf(cord),
                cord.resolvedBy,
                cord.resolvedAt,
                cord.resolution,
                cord.fixVersion,
                cord.closedBy,
                cord.closedAt,
                transitions.stream()
                        .map(t -> new Transition(t.action, t.actor, t.at, t.note))
                        .toList());
    }
}
