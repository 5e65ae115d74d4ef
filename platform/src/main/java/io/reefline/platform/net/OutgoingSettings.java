package io.reefline.platform.net;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where the services' outgoing requests to URLs users gave (andon webhooks, instance health URLs) may go, under
 * {@code reefline.outgoing.*}; see {@link Destinations}.
 */
@ConfigMapping(prefix = "reefline.outgoing")
public interface OutgoingSettings {

    /** URL schemes allowed. */
    @WithDefault("http,https")
    Set<String> schemes();

    /**
     * When set, the only destinations reached: host names ({@code hooks.slack.com}), patterns ({@code *.example.com})
     * and CIDRs ({@code 203.0.113.0/24}). Unset: any destination not refused.
     */
    Optional<List<String>> hosts();

    /** Names, patterns and CIDRs refused on top of the built-in ones, e.g. {@code 10.0.0.0/8} (the pod network). */
    Optional<List<String>> refused();

    /**
     * CIDRs reached although refused by default (loopback, link-local, unspecified, multicast; never the cloud
     * metadata endpoints), e.g. {@code 127.0.0.0/8,::1} where everything runs on one machine (the local suite,
     * tests). Unset in production.
     */
    Optional<List<String>> allowedRanges();

    default Destinations destinations() {
        return Destinations.of(
                schemes(),
                hosts().orElse(List.of()),
                refused().orElse(List.of()),
                allowedRanges().orElse(List.of()));
    }
}
