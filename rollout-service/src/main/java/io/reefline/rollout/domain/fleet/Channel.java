package io.reefline.rollout.domain.fleet;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Release channels partition the fleet: every instance belongs to exactly one ({@code reefline.io/channel}, default
 * {@link #DEFAULT}), and a release upgrades only the instances of its own channel. Releases and instances name their
 * channel by the same rule.
 */
public final class Channel {

    /** The channel of an instance without a {@code reefline.io/channel} annotation and of a release that names none. */
    public static final String DEFAULT = "stable";

    /** What the {@code release.channel} and {@code instance.channel} columns hold. */
    public static final int MAX_LENGTH = 100;

    /** Lower-case letters, digits and {@code -}, starting with a letter or digit. */
    public static final String PATTERN = "[a-z0-9][a-z0-9-]*";

    public static final String PATTERN_MESSAGE = "must be lower-case letters, digits and -";

    private static final Pattern FORMAT = Pattern.compile(PATTERN);

    private Channel() {}

    /** What is wrong with {@code channel} as a channel name; empty when it is a valid one. */
    public static Optional<String> problem(String channel) {
        if (channel == null || channel.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (channel.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters");
        }
        if (!FORMAT.matcher(channel).matches()) {
            return Optional.of(PATTERN_MESSAGE);
        }
        return Optional.empty();
    }
}
