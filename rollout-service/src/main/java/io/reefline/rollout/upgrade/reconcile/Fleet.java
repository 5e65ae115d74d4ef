package io.reefline.rollout.upgrade.reconcile;

import io.reefline.rollout.domain.fleet.Instance;
import io.reefline.rollout.domain.fleet.Release;
import io.reefline.rollout.domain.plan.Freeze;
import io.reefline.rollout.domain.plan.RingAssignment;
import io.reefline.rollout.domain.policy.RingPolicy;
import java.time.Instant;
import java.util.List;

/** What the scheduler drives: the releases to move, the instances, the freezes. Read once per tick. */
public interface Fleet {

    /** The newest registered release of every channel. */
    List<ActiveRelease> newestPerChannel();

    /** The instances of every reef, as the inventory knows them. */
    List<Instance> instances();

    List<Freeze> freezes();

    /** Tells the inventory an instance's image changed (an upgrade succeeded, or was restored). */
    void imageChanged(String instanceId, String image);

    /**
     * A release with what it was registered with.
     *
     * @param releaseTime when its first ring opened
     */
    record ActiveRelease(Release release, RingPolicy policy, RingAssignment assignment, Instant releaseTime) {

        public String version() {
            return release.version().toString();
        }
    }
}
