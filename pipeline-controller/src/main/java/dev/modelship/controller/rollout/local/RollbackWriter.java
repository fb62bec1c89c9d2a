package dev.modelship.controller.rollout.local;

import dev.modelship.controller.rollout.RolloutSpec;

/**
 * Records an aborted canary in git, so git never claims a version the engine rejected: a revert-style commit
 * putting the stable image back, with the reason.
 */
public interface RollbackWriter {
  /** Throwing means "not recorded": the engine keeps the canary aborted and calls again on its next reconcile. */
  void rollback(String app, RolloutSpec aborted, RolloutSpec stable, String reason) throws Exception;
}
