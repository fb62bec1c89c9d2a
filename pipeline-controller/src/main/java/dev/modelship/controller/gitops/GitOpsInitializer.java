package dev.modelship.controller.gitops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * {@code modelship gitops init}: the template's first commit on an empty branch. A local path that does not exist
 * yet becomes a bare repository. Idempotent: a branch that already holds the Modelship layout is left alone; a
 * branch that holds something else is refused.
 */
public final class GitOpsInitializer {
  private final CommitLoop loop;

  public GitOpsInitializer(java.time.Clock clock, java.util.function.Consumer<GitOpsEvent> events) {
    this.loop = new CommitLoop(Backoff.standard(), duration -> Thread.sleep(duration.toMillis()), clock, events);
  }

  public ReleaseCommit init(GitRemote remote, GitOpsTemplate template, GitAuthor author) throws GitOpsException {
    if (remote.isLocal()) {
      createBareRepository(remote);
    }
    String marker = RepoLayout.APP_TEMPLATE + "base/kustomization.yaml";
    return loop.run(remote, snapshot -> {
      if (snapshot.head().isEmpty()) {
        return Plan.commit(template.filesFor(remote.url(), remote.branch()), "chore: initialise the Modelship "
            + "GitOps repository\n\nFrom Modelship's gitops-repo-template/ and rollouts/. Model apps are added "
            + "under apps/ by `modelship release`.\n");
      }
      if (snapshot.exists(marker)) {
        return Plan.unchanged(remote.url() + " " + remote.branch() + " is already a Modelship GitOps repository");
      }
      throw new GitOpsException(GitOpsException.Kind.CONFLICT, "branch " + remote.branch() + " of " + remote.url()
          + " already has commits and no " + marker + ": it is not a Modelship GitOps repository. Use an empty "
          + "repository or another --branch");
    }, author);
  }

  private static void createBareRepository(GitRemote remote) throws GitOpsException {
    Path path = remote.localPath();
    try {
      if (Files.isDirectory(path) && !isEmpty(path)) {
        try (Repository existing = new FileRepositoryBuilder().setGitDir(path.toFile()).setMustExist(true).build()) {
          return;
        } catch (RepositoryNotFoundException e) {
          throw new GitOpsException(GitOpsException.Kind.INVALID, path + " exists and is not a git repository");
        }
      }
      Files.createDirectories(path);
      try (Git git = Git.init().setBare(true).setDirectory(path.toFile()).setInitialBranch(remote.branch())
          .call()) {
        git.getRepository().getConfig().save();
      }
    } catch (IOException | GitAPIException e) {
      throw new GitOpsException(GitOpsException.Kind.UNAVAILABLE, "cannot create the repository " + path + ": "
          + e.getMessage(), e);
    }
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }
}
