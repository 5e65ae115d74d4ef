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

    /**
     * N: passing checks, spread over the soak (each at least {@code soak / N} after the previous one), that an upgrade
     * needs before it succeeds. The ring policy's {@code soakChecks} overrides it.
     */
    @WithDefault("3")
    int soakChecks();

    /** M: the most recent checks that must all have passed when the upgrade succeeds. */
    @WithDefault("2")
    int soakCleanTail();

    /** First wait after one upgrade's Kubernetes request was refused (a 4xx); doubles with every further refusal. */
    @WithDefault("PT10S")
    Duration upgradeBackoff();

    /** Longest wait between attempts of one refused upgrade. */
    @WithDefault("PT2M")
    Duration upgradeBackoffMax();

    /**
     * An upgrade whose requests keep being refused for this long gives up: a running one fails (the cord is pulled, the
     * previous image restored), a restore ends UNRESTORED and frees its reef's slot.
     */
    @WithDefault("PT10M")
    Duration giveUpAfter();

    /** Consecutive failed post-upgrade checks that fail the upgrade. */
    @WithDefault("3")
    int checkFailures();

    /** Timeout of one health check request. */
    @WithDefault("PT5S")
    Duration checkTimeout();

    /**
     * Most bytes of a health answer read; a longer answer fails the check (its end, where an {@code image} field may
     * be, is never read).
     */
    @WithDefault("8192")
    int healthBodyLimit();

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
