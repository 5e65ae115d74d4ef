package io.reefline.andon.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.qute.TemplateData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * A cord's evidence laid out for reading: one field per line of a definition list, nested objects flattened into
 * dotted names ({@code verdict.outcome}), and a list of objects (an analysis' metric results) as a table with a row per
 * object. The page escapes every text; nothing of the evidence becomes markup.
 */
final class CordEvidence {

    /** One field of the evidence: a text, or a table when the value is a list of objects. */
    @TemplateData
    public record Field(String name, String text, List<String> headers, List<List<String>> rows) {
        public boolean tabular() {
            return headers != null;
        }
    }

    /** Nested objects deeper than this are written as their JSON text instead of being flattened further. */
    private static final int MAX_DEPTH = 4;

    private CordEvidence() {}

    static List<Field> of(JsonNode evidence) {
        List<Field> fields = new ArrayList<>();
        if (evidence != null && evidence.isObject()) {
            flatten("", evidence, 0, fields);
        }
        return fields;
    }

    private static void flatten(String prefix, JsonNode object, int depth, List<Field> fields) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = prefix + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isObject() && value.size() > 0 && depth < MAX_DEPTH) {
                flatten(name + ".", value, depth + 1, fields);
            } else if (isListOfObjects(value)) {
                fields.add(table(name, value));
            } else {
                fields.add(new Field(name, text(value), null, null));
            }
        }
    }

    private static boolean isListOfObjects(JsonNode value) {
        return value.isArray()
                && value.size() > 0
                && StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isObject);
    }

    private static Field table(String name, JsonNode list) {
        Set<String> headers = new LinkedHashSet<>();
        list.forEach(row -> row.fieldNames().forEachRemaining(headers::add));
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : list) {
            rows.add(headers.stream()
                    .map(h -> row.has(h) ? text(row.get(h)) : "")
                    .toList());
        }
        return new Field(name, null, List.copyOf(headers), rows);
    }

    /** A value as one line: scalars as they are, lists joined, objects as {@code key value} pairs. */
    private static String text(JsonNode value) {
        if (value == null || value.isNull()) {
            return "—";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            return StreamSupport.stream(value.spliterator(), false)
                    .map(v -> v.isContainerNode() ? v.toString() : text(v))
                    .collect(Collectors.joining(", "));
        }
        List<String> pairs = new ArrayList<>();
        value.fields()
                .forEachRemaining(e -> pairs.add(e.getKey() + " "
                        + (e.getValue().isContainerNode() ? e.getValue().toString() : text(e.getValue()))));
        return String.join(" · ", pairs);
    }
}
