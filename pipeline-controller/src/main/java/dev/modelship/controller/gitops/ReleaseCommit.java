package dev.modelship.controller.gitops;

/**
 * What a GitOps write left on the branch: the commit that now says what was asked, and whether this call made it
 * ({@code created} false: the branch already said so, nothing was pushed).
 *
 * @param repository the remote's URL, without credentials
 * @param sha the new commit, or the branch head that already had the change
 */
public record ReleaseCommit(String repository, String sha, boolean created) {
}
