package io.reefline.andon.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Open cords stop the line; resolved ones have a fix; closed ones are history. */
public enum CordState {
    OPEN,
    RESOLVED,
    CLOSED;

    /** The wire form: {@code open}, {@code resolved}, {@code closed}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<CordState> parse(String code) {
        return Arrays.stream(values()).filter(s -> s.code().equals(code)).findFirst();
    }
}
