package dev.modelship.controller.rollout.local;

/**
 * Records an aborted canary in git, so git never claims a version the engine rejected: a revert-style commit
 * putting the stable image back, with the reason.
 */
public interface RollbackWriter {
  void rollback(String app, String abortedImage, String stableImage, String reason) throws Exception;
}
