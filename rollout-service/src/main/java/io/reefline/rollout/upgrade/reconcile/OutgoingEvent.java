package io.reefline.rollout.upgrade.reconcile;

import java.util.UUID;

/**
 * A message for another service, written to the outbox in the transaction of the state change that caused it.
 *
 * @param id deterministic (from the upgrade and the transition): a replay is a duplicate the receiver ignores
 * @param destination the outbox destination ({@code metrics}, {@code andon})
 * @param path the receiver's path
 * @param body the JSON body
 */
public record OutgoingEvent(UUID id, String destination, String path, Object body) {}
