/**
 * The upgrade scheduler's reconcile loop, free of any framework: {@link io.reefline.rollout.upgrade.reconcile.Reconciler}
 * builds a fresh {@link io.reefline.rollout.upgrade.reconcile.TickContext} per tick and takes every running upgrade one
 * step (one class per step), then starts what the planner and the start rules allow. Everything it touches comes
 * through the small interfaces here ({@link io.reefline.rollout.upgrade.reconcile.UpgradeStore}, {@link
 * io.reefline.rollout.upgrade.reconcile.Cluster}, {@link io.reefline.rollout.upgrade.reconcile.Gate}, {@link
 * io.reefline.rollout.upgrade.reconcile.HealthProbe}, {@link io.reefline.rollout.upgrade.reconcile.Fleet}, {@link
 * io.reefline.rollout.upgrade.reconcile.Leadership}, {@link io.reefline.rollout.upgrade.reconcile.ReefBackoff}), so the
 * service wires it to PostgreSQL, fabric8 and andon-service, and the fault simulation to a seeded simulated fleet.
 */
package io.reefline.rollout.upgrade.reconcile;
