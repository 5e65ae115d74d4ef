package io.reefline.sidecar;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough JSON for the sidecar's few flat messages, so it needs no library. */
final class Json {

    private static final Pattern VERSION_FIELD = Pattern.compile("\"version\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Json() {}

    /** A flat object of strings, booleans and numbers, in the map's order. */
    static String object(Map<String, ?> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(string(name)).append(':');
            if (value == null) {
                json.append("null");
            } else if (value instanceof Boolean || value instanceof Number) {
                json.append(value);
            } else {
                json.append(string(value.toString()));
            }
        });
        return json.append('}').toString();
    }

    static String string(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** The top-level-looking {@code "version": "..."} of a body, if it has one. */
    static Optional<String> versionField(String body) {
        Matcher matcher = VERSION_FIELD.matcher(body);
        return matcher.find() ? Optional.of(matcher.group(1).replace("\\\"", "\"")) : Optional.empty();
    }
}
