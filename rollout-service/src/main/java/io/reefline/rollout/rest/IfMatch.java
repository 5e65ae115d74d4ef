package io.reefline.rollout.rest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads an {@code If-Match} header into the opaque ETag values it names. */
final class IfMatch {

    private IfMatch() {}

    /** Empty for no header or {@code *}: any current version matches. */
    static Set<String> values(String header) {
        if (header == null || header.isBlank() || header.strip().equals("*")) {
            return Set.of();
        }
        return Arrays.stream(header.split(","))
                .map(String::strip)
                .filter(tag -> !tag.isEmpty())
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .map(tag -> tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                        ? tag.substring(1, tag.length() - 1)
                        : tag)
                .collect(Collectors.toUnmodifiableSet());
    }
}
