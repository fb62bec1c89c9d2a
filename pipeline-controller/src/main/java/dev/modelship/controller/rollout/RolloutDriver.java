package dev.modelship.controller.rollout;

import java.util.List;

/**
 * Drives rollouts: the local engine on one machine, Argo Rollouts in a cluster. Promote and abort mean what
 * {@code kubectl argo rollouts promote [--full]} and {@code abort} mean. An app runs once per environment;
 * {@code environment} null means the last (production) one.
 */
public interface RolloutDriver {
  List<RolloutStatus> statuses();

  RolloutStatus promote(String app, String environment, boolean full) throws Exception;

  RolloutStatus abort(String app, String environment, String reason) throws Exception;
}
