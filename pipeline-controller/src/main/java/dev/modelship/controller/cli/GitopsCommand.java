package dev.modelship.controller.cli;

import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.GitOpsInitializer;
import dev.modelship.controller.gitops.GitOpsTemplate;
import dev.modelship.controller.gitops.GitRemote;
import dev.modelship.controller.gitops.ReleaseCommit;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code modelship gitops}: the GitOps repository itself. */
@Command(name = "gitops", mixinStandardHelpOptions = true,
    description = "The GitOps repository Argo CD syncs: create it from Modelship's template.")
public final class GitopsCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final GitOpsAccess access;

  public GitopsCommand() {
    this(GitOpsAccess.fromEnvironment());
  }

  GitopsCommand(GitOpsAccess access) {
    this.access = access;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = {"Create the GitOps repository from the template (apps/, templates/model-app/, rollouts/, "
          + "argocd/, platform/) as its first commit, with its own URL in the Argo CD manifests.",
          "A local path that does not exist becomes a bare repository (default $MODELSHIP_HOME/gitops.git); a "
              + "remote one must exist and have no commits on the branch. Running it again changes nothing.",
          "Exit code: 0 done (or already done), 1 the branch holds something else, 2 error."})
  int init(@Mixin GitOpsOptions options) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      GitRemote remote = access.remote(options);
      ReleaseCommit commit = new GitOpsInitializer(Clock.systemUTC(), GitOpsAccess.progress(err))
          .init(remote, GitOpsTemplate.bundled(), access.author(options));
      out.println((commit.created() ? "initialised " : "already initialised: ") + remote + " at "
          + commit.sha());
      out.flush();
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    } catch (GitOpsException e) {
      err.println("error: " + e.getMessage());
      return GitOpsAccess.exitCode(e);
    }
  }
}
