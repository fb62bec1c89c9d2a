package dev.modelship.controller.gitops;

/**
 * Decides a GitOps change from the branch as fetched. Called again on the new head each time a push loses a race,
 * so it can rebuild the same change there, find it already made, or find a conflicting one.
 */
interface ChangePlanner {
  Plan plan(RepoSnapshot snapshot) throws GitOpsException;
}
