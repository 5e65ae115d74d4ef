package io.reefline.flag.domain.structured;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** A named group of subjects (e.g. "EU staff", "seats over 100"): every condition must hold. */
public record Segment(String name, List<SegmentCondition> conditions) {

    public Segment {
        Objects.requireNonNull(name, "name");
        conditions = List.copyOf(conditions);
        if (conditions.isEmpty()) {
            throw new IllegalArgumentException("segment " + name + " needs at least one condition");
        }
    }

    public static Segment of(String name, SegmentCondition... conditions) {
        return new Segment(name, List.of(conditions));
    }

    /** This segment's test as JsonLogic. */
    public JsonNode toJsonLogic() {
        if (conditions.size() == 1) {
            return conditions.get(0).toJsonLogic();
        }
        return SegmentCondition.operation(
                "and", conditions.stream().map(SegmentCondition::toJsonLogic).toArray(JsonNode[]::new));
    }
}
