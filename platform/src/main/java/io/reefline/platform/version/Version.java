package io.reefline.platform.version;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release version such as {@code 2026.11.3} or {@code 2022.2.387-hotfix.903}: numeric dot segments, an optional
 * pre-release after {@code -}, optional build metadata after {@code +} (ignored), an optional leading {@code v}.
 *
 * <p>Ordering follows semantic versioning generalised to any number of numeric segments: segments compare numerically
 * and missing ones count as zero ({@code 2026.11} equals {@code 2026.11.0}); a version with a pre-release is lower than
 * the same version without one; pre-release identifiers compare numerically when both are numbers, numbers sort before
 * words, and a shorter list of identifiers sorts first when it is a prefix of the longer one.
 */
public final class Version implements Comparable<Version> {

    private static final Pattern FORMAT = Pattern.compile(
            "v?(\\d{1,18}(?:\\.\\d{1,18})*)(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z.-]+)?");

    private final String text;
    private final long[] segments;
    private final String[] preRelease;

    private Version(String text, long[] segments, String[] preRelease) {
        this.text = text;
        this.segments = segments;
        this.preRelease = preRelease;
    }

    /** @throws IllegalArgumentException when {@code text} is not a version */
    public static Version parse(String text) {
        Objects.requireNonNull(text, "version");
        Matcher m = FORMAT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a version (expected numeric dot segments such as"
                    + " 2026.11.3, optionally followed by -prerelease)");
        }
        String[] parts = m.group(1).split("\\.");
        int length = parts.length;
        long[] segments = new long[length];
        for (int i = 0; i < length; i++) {
            segments[i] = Long.parseLong(parts[i]);
        }
        while (length > 1 && segments[length - 1] == 0) {
            length--;
        }
        String[] pre = m.group(2) == null ? new String[0] : m.group(2).split("\\.");
        return new Version(text.trim(), Arrays.copyOf(segments, length), pre);
    }

    /**
     * Whether two version texts name the same release, by the rule every service uses: both versions compare equal
     * ({@code v2026.11} is {@code 2026.11.0}); a text that is not a version matches only itself, exactly.
     */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        Optional<Version> left = tryParse(a);
        Optional<Version> right = tryParse(b);
        if (left.isPresent() && right.isPresent()) {
            return left.get().equals(right.get());
        }
        return a.trim().equals(b.trim());
    }

    /** The version, or empty when {@code text} is not one. */
    public static Optional<Version> tryParse(String text) {
        if (text == null || !FORMAT.matcher(text.trim()).matches()) {
            return Optional.empty();
        }
        return Optional.of(parse(text));
    }

    public boolean isPreRelease() {
        return preRelease.length > 0;
    }

    public boolean isAtLeast(Version other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(Version other) {
        int length = Math.max(segments.length, other.segments.length);
        for (int i = 0; i < length; i++) {
            long a = i < segments.length ? segments[i] : 0;
            long b = i < other.segments.length ? other.segments[i] : 0;
            if (a != b) {
                return Long.compare(a, b);
            }
        }
        if (preRelease.length == 0 || other.preRelease.length == 0) {
            // A release outranks its own pre-releases: 1.0.0 > 1.0.0-rc.1.
            return Boolean.compare(preRelease.length == 0, other.preRelease.length == 0);
        }
        int shared = Math.min(preRelease.length, other.preRelease.length);
        for (int i = 0; i < shared; i++) {
            int c = compareIdentifier(preRelease[i], other.preRelease[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(preRelease.length, other.preRelease.length);
    }

    private static int compareIdentifier(String a, String b) {
        boolean aNumeric = a.chars().allMatch(Character::isDigit);
        boolean bNumeric = b.chars().allMatch(Character::isDigit);
        if (aNumeric && bNumeric) {
            int byLength = Integer.compare(stripZeros(a).length(), stripZeros(b).length());
            return byLength != 0 ? byLength : stripZeros(a).compareTo(stripZeros(b));
        }
        if (aNumeric != bNumeric) {
            return aNumeric ? -1 : 1;
        }
        return a.compareTo(b);
    }

    private static String stripZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digits.charAt(i) == '0') {
            i++;
        }
        return digits.substring(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        int hash = Arrays.hashCode(segments);
        for (String identifier : preRelease) {
            hash = 31 * hash
                    + (identifier.chars().allMatch(Character::isDigit)
                            ? stripZeros(identifier).hashCode()
                            : identifier.hashCode());
        }
        return hash;
    }

    @Override
    public String toString() {
        return text;
    }
}
