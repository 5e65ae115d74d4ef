package io.reefline.flag.domain.structured;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** One ordered rule of structured targeting: subjects in all the given segments get {@code variant}. */
public record SegmentRule(List<Segment> segments, String variant) {

    public SegmentRule {
        segments = List.copyOf(segments);
        Objects.requireNonNull(variant, "variant");
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a rule needs at least one segment");
        }
    }

    public static SegmentRule of(String variant, Segment... segments) {
        return new SegmentRule(List.of(segments), variant);
    }

    JsonNode condition() {
        if (segments.size() == 1) {
            return segments.get(0).toJsonLogic();
        }
        return SegmentCondition.operation(
                "and", segments.stream().map(Segment::toJsonLogic).toArray(JsonNode[]::new));
    }
}
