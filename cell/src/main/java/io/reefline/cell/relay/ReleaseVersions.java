package io.reefline.cell.relay;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether two texts name the same release, as the hub compares versions: numeric dot segments with missing ones
 * counting as zero ({@code 2026.11} is {@code 2026.11.0}), an optional leading {@code v}, the same pre-release, build
 * metadata ignored. Texts that are no versions are the same only when equal.
 */
final class ReleaseVersions {

    private static final Pattern FORMAT = Pattern.compile(
            "v?(\\d{1,18}(?:\\.\\d{1,18})*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");

    private ReleaseVersions() {}

    static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        String left = canonical(a.strip());
        String right = canonical(b.strip());
        return left != null && right != null ? left.equals(right) : a.strip().equals(b.strip());
    }

    /** The tag of {@code registry:5000/product:2026.11.0}, ignoring a digest; null without one. */
    static String tag(String image) {
        if (image == null) {
            return null;
        }
        String reference = image.strip();
        int at = reference.indexOf('@');
        if (at >= 0) {
            reference = reference.substring(0, at);
        }
        int colon = reference.lastIndexOf(':');
        return colon > reference.lastIndexOf('/') ? reference.substring(colon + 1) : null;
    }

    /** Whether {@code text} is a version at all. */
    static boolean isVersion(String text) {
        return text != null && canonical(text.strip()) != null;
    }

    private static String canonical(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        String[] parts = m.group(1).split("\\.");
        int length = parts.length;
        while (length > 1 && Long.parseLong(parts[length - 1]) == 0) {
            length--;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(i == 0 ? "" : ".").append(Long.parseLong(parts[i]));
        }
        if (m.group(2) != null) {
            out.append('-').append(m.group(2));
        }
        return out.toString();
    }
}
