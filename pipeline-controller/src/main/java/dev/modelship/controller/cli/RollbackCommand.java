package dev.modelship.controller.cli;

import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.ReleaseCommit;
import dev.modelship.controller.gitops.RollbackRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship rollback}: put an environment back on an earlier release, as a revert-style commit. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = {"Restore in --env the image and version of an earlier release: the newest one before the "
        + "current that was not itself rolled back, or --to VERSION. The commit says what it reverts and why.",
        "Exit code: 0 rolled back (or already there), 1 a concurrent change to the same overlay, 2 error (e.g. "
            + "nothing to roll back to)."})
public final class RollbackCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
  String model;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "The environment.")
  String environment;

  @Option(names = "--to", paramLabel = "VERSION", description = "The version to restore (default: the previous "
      + "one).")
  Long toVersion;

  @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the commit body.")
  String reason;

  @Mixin
  GitOpsOptions options;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final GitOpsAccess access;

  public RollbackCommand() {
    this(GitOpsAccess.fromEnvironment());
  }

  RollbackCommand(GitOpsAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ReleaseCommit commit = access.writer(options, err).rollback(new RollbackRequest(model, environment, toVersion,
          reason, access.run(options), access.author(options)));
      out.println((commit.created() ? "rolled back " + model + " in " + environment + ": "
          : environment + " already runs that release, nothing committed: ") + commit.sha());
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
