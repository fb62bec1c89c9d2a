package dev.modelship.controller.gitops;

/**
 * Put an environment back on an earlier release: the one before the current (skipping versions already rolled
 * back), or {@code toVersion}. What the controller commits when a canary is aborted, so git never claims a version
 * the cluster rejected.
 *
 * @param toVersion the version to restore, or null for the previous one
 * @param reason why, for the commit body (e.g. the analysis that failed); may be null
 */
public record RollbackRequest(String model, String environment, Long toVersion, String reason, String run,
                              GitAuthor author) {

  public RollbackRequest {
    RepoLayout.requireAppName(model);
    RepoLayout.requireEnvironment(environment);
    CommitMessages.requireRun(run);
  }
}
