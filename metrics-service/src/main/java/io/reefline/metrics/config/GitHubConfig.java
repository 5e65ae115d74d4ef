package io.reefline.metrics.config;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** GitHub webhook settings, under {@code reefline.github.*}. */
@ConfigMapping(prefix = "reefline.github")
public interface GitHubConfig {

    /**
     * The secret GitHub signs push deliveries with ({@code REEFLINE_GITHUB_WEBHOOK_SECRET}); without it every delivery
     * is refused.
     */
    Optional<String> webhookSecret();
}
