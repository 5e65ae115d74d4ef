package io.reefline.rollout.upgrade;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How the upgrade scheduler works: {@code reefline.upgrades.*}. */
@ConfigMapping(prefix = "reefline.upgrades")
public interface UpgradeSettings {

    /** How often the scheduler ticks ({@code 10s}, {@code 1m}); {@code off} stops it (tests tick by hand). */
    @WithDefault("10s")
    String tick();

    /** How long a patched Deployment may take to become available on the new image before the upgrade fails. */
    @WithDefault("PT10M")
    Duration rolloutTimeout();

    /** How long post-upgrade checks run after the Deployment is available before the upgrade succeeds. */
    @WithDefault("PT2M")
    Duration soak();

    /** Consecutive failed post-upgrade checks that fail the upgrade. */
    @WithDefault("3")
    int checkFailures();

    /** Timeout of one health check request. */
    @WithDefault("PT5S")
    Duration checkTimeout();

    /**
     * The health URL of an instance without a {@code reefline.io/health-url} annotation, with {@code {instance}} and
     * {@code {reef}} replaced, e.g. {@code https://{instance}.customers.example.com/health}. Without either, the
     * Deployment staying available for the soak is the check.
     */
    Optional<String> healthUrl();

    /** A planned upgrade whose patch could not be sent for this long is cancelled and planned again later. */
    @WithDefault("PT5M")
    Duration startTimeout();

    /**
     * A release's first upgrade runs alone: until one instance succeeded on the new release, no second upgrade of it
     * starts, so a broken build stops after one instance rather than a ring's worth.
     */
    @WithDefault("true")
    boolean pilot();

    /** Severity of the cord pulled when an upgrade fails. */
    @WithDefault("SEV-2")
    String cordSeverity();

    /** The console's public address, linked from a pulled cord as evidence (e.g. {@code https://rollout.example.com}). */
    Optional<String> consoleUrl();

    /** First wait after a reef's Kubernetes API failed; doubles with every further failure. */
    @WithDefault("PT5S")
    Duration reefBackoff();

    /** Longest wait between attempts on a failing reef. */
    @WithDefault("PT5M")
    Duration reefBackoffMax();

    /** How many reefs a tick works on at the same time; each reef's own upgrades go one after the other. */
    @WithDefault("8")
    int parallelReefs();

    /** PostgreSQL advisory lock key the acting replica holds; replicas sharing a database must share it. */
    @WithDefault("7081447369726")
    long leaderLock();
}
