package io.reefline.metrics.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** GitHub webhook settings, under {@code reefline.github.*}. */
@ConfigMapping(prefix = "reefline.github")
public interface GitHubConfig {

    /**
     * The secret GitHub signs push deliveries with ({@code REEFLINE_GITHUB_WEBHOOK_SECRET}); without it every delivery
     * is refused.
     */
    Optional<String> webhookSecret();

    /**
     * Longest delivery body read ({@code Content-Length}); anything longer is refused with 413 before it is read. GitHub
     * pushes are far smaller; the body of an unauthenticated request is never read beyond this.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();
}
