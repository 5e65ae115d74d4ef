package io.reefline.flag.rest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads {@code If-Match} headers. */
public final class EntityTags {

    private EntityTags() {}

    /**
     * The opaque values of an {@code If-Match} header ({@code "flag-3", "flag-4"}); empty for no header or {@code *},
     * which any existing resource matches.
     */
    public static Set<String> of(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
            return Set.of();
        }
        return Arrays.stream(ifMatch.split(","))
                .map(String::strip)
                .filter(tag -> !tag.isEmpty())
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .map(tag -> tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")
                        ? tag.substring(1, tag.length() - 1)
                        : tag)
                .collect(Collectors.toUnmodifiableSet());
    }
}
