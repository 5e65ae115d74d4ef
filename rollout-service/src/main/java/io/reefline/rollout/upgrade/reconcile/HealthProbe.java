package io.reefline.rollout.upgrade.reconcile;

/** One post-upgrade check of an instance's health URL. Never throws: a failure to ask is a failed check. */
@FunctionalInterface
public interface HealthProbe {

    Result check(String url, String expectedImage);

    record Result(boolean passed, String detail) {}
}
