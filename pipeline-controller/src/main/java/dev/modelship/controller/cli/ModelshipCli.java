package dev.modelship.controller.cli;

import dev.modelship.serving.ServingMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code modelship} command. */
@Command(name = "modelship", mixinStandardHelpOptions = true, versionProvider = ModelshipCli.Version.class,
    description = "Modelship: from a pushed model to a canary-released serving image, through GitOps.",
    subcommands = {ServingMain.class, ExamplesCommand.class, DemoCommand.class, PushCommand.class,
        ModelsCommand.class, TrainCommand.class, WatchDataCommand.class, ValidateCommand.class,
        BuildImageCommand.class, GitopsCommand.class, ReleaseCommand.class, PromoteEnvCommand.class,
        RollbackCommand.class, HistoryCommand.class, AnalysisCommand.class, UpCommand.class,
        ControllerCommands.Status.class,
        ControllerCommands.Promote.class, ControllerCommands.Abort.class},
    footer = {"", "Not yet available: up (see the project's open issues)."})
public final class ModelshipCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ModelshipCli());
    int exitCode = cli.execute(args);
    cli.getOut().flush();
    cli.getErr().flush();
    System.exit(exitCode);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ModelshipCli.class.getPackage().getImplementationVersion();
      return new String[] {"modelship " + (version == null ? "dev" : version)};
    }
  }
}
