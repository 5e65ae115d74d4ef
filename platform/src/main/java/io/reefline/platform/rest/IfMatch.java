package io.reefline.platform.rest;

import io.reefline.platform.problem.ProblemException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an {@code If-Match} header (RFC 9110) into the opaque ETag values it names, so every service compares a
 * client's precondition with its resource's current ETag the same way: a change without the header is a 428
 * ({@link #required}), one naming a version that is no longer current a 412.
 */
public final class IfMatch {

    private IfMatch() {}

    /**
     * The opaque values of the header ({@code "12-3", W/"12-4"} gives {@code 12-3} and {@code 12-4}); empty for no
     * header or {@code *}, which any existing resource matches.
     */
    public static Set<String> values(String header) {
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

    /**
     * The values of the {@code If-Match} header a change to a mutable resource must carry: no header (or a blank one)
     * is a 428 problem naming {@code what}; {@code *} gives the empty set, which any current version matches.
     */
    public static Set<String> required(String header, String what) {
        if (header == null || header.isBlank()) {
            throw ProblemException.preconditionRequired(what);
        }
        return values(header);
    }
}
