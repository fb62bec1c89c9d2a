package dev.modelship.controller.cli;

import dev.modelship.controller.gitops.GitOpsException;
import dev.modelship.controller.gitops.PromotionRequest;
import dev.modelship.controller.gitops.ReleaseCommit;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship promote-env}: release to one environment exactly what another runs. */
@Command(name = "promote-env", mixinStandardHelpOptions = true,
    description = {"Pin in --to the image and version --from pins now (same digest), as one commit. Already "
        + "there: nothing is committed.",
        "Exit code: 0 promoted (or already), 1 a concurrent change to the same overlay, 2 error."})
public final class PromoteEnvCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The model.")
  String model;

  @Option(names = "--from", required = true, paramLabel = "ENV", description = "The environment to copy, e.g. "
      + "staging.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "ENV", description = "The environment to set, e.g. "
      + "production.")
  String to;

  @Mixin
  GitOpsOptions options;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final GitOpsAccess access;

  public PromoteEnvCommand() {
    this(GitOpsAccess.fromEnvironment());
  }

  PromoteEnvCommand(GitOpsAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      ReleaseCommit commit = access.writer(options, err).promote(new PromotionRequest(model, from, to,
          access.run(options), access.author(options)));
      out.println((commit.created() ? "promoted " + model + " from " + from + " to " + to + ": "
          : to + " already runs what " + from + " runs, nothing committed: ") + commit.sha());
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
