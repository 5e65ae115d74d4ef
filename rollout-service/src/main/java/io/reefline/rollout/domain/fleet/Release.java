package io.reefline.rollout.domain.fleet;

import io.reefline.platform.version.Version;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A build registered by CI.
 *
 * @param expedite a fix that skips the soaks between rings, but neither the andon gate nor the windows
 * @param ignoreWindows upgrade outside maintenance windows too; only with a written reason
 */
public record Release(
        Version version,
        String image,
        String channel,
        Instant createdAt,
        List<String> commits,
        boolean expedite,
        boolean ignoreWindows,
        String ignoreWindowsReason) {

    /** The longest version text: what the release and upgrade records hold. */
    public static final int MAX_VERSION = 100;

    /** The longest image reference: what the release and upgrade records hold. */
    public static final int MAX_IMAGE = 500;

    /** The most commits one release may list. */
    public static final int MAX_COMMITS = 5000;

    /** The longest reason for ignoring maintenance windows: what the release record holds. */
    public static final int MAX_IGNORE_WINDOWS_REASON = 2000;

    public Release {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(createdAt, "createdAt");
        commits = List.copyOf(commits);
        if (ignoreWindows && (ignoreWindowsReason == null || ignoreWindowsReason.isBlank())) {
            throw new IllegalArgumentException("ignoreWindows needs a reason");
        }
    }

    /** A normal release: no expedite, windows apply. */
    public static Release of(Version version, String image, String channel, Instant createdAt, List<String> commits) {
        return new Release(version, image, channel, createdAt, commits, false, false, null);
    }

    /**
     * The release of {@code channel} that instances should move to: the highest version. It supersedes every older
     * release for instances that have not reached that older one yet, so registering an older version later changes
     * nothing.
     */
    public static Optional<Release> newest(Collection<Release> releases, String channel) {
        return releases.stream().filter(r -> r.channel.equals(channel)).max(Comparator.comparing(Release::version));
    }

    /**
     * The instances this release may upgrade: those of its channel, in fleet order. Channels partition the fleet, so
     * ring assignment, canary draws and plans only ever see these.
     */
    public List<Instance> instancesOf(Collection<Instance> fleet) {
        return fleet.stream().filter(this::isFor).toList();
    }

    /** Whether {@code instance} belongs to this release's channel. */
    public boolean isFor(Instance instance) {
        return channel.equals(instance.channel());
    }

    /** An instance on this version or a newer one is already there: a release never downgrades anyone. */
    public boolean isAlreadyOn(Instance instance) {
        return instance.currentVersion().isAtLeast(version);
    }
}
