package io.reefline.andon.domain;

import io.reefline.platform.version.Version;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a cord stops: everything ({@code global}), one reef ({@code reef:<name>}) or one release
 * ({@code release:<version>}).
 */
public sealed interface Scope {

    Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,99}");

    /** The wire form, e.g. {@code reef:reef-eu-1}. */
    String text();

    /** Whether this scope covers a move of {@code release} in {@code reef}; an unknown (null) value is covered. */
    boolean covers(String release, String reef);

    record Global() implements Scope {
        @Override
        public String text() {
            return "global";
        }

        @Override
        public boolean covers(String release, String reef) {
            return true;
        }
    }

    record Reef(String name) implements Scope {
        @Override
        public String text() {
            return "reef:" + name;
        }

        @Override
        public boolean covers(String release, String reef) {
            return reef == null || reef.equals(name);
        }
    }

    /**
     * One release, compared as a version by the rule rollout-service orders releases with ({@link Version#same}):
     * {@code release:2026.11.0} stops {@code 2026.11} and {@code v2026.11.0}.
     */
    record Release(String version) implements Scope {
        @Override
        public String text() {
            return "release:" + version;
        }

        @Override
        public boolean covers(String release, String reef) {
            return release == null || Version.same(release, version);
        }
    }

    /** Parses the wire form; empty when it is not one of the three shapes. */
    static Optional<Scope> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.equals("global")) {
            return Optional.of(new Global());
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String kind = text.substring(0, colon);
        String value = text.substring(colon + 1);
        if (!NAME.matcher(value).matches()) {
            return Optional.empty();
        }
        return switch (kind) {
            case "reef" -> Optional.of(new Reef(value));
            case "release" -> Optional.of(new Release(value));
            default -> Optional.empty();
        };
    }
}
