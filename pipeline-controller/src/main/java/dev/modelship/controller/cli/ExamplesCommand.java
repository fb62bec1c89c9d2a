package dev.modelship.controller.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code modelship examples}: example data and models to try the platform with, made locally, nothing downloaded. */
@Command(name = "examples", mixinStandardHelpOptions = true,
    description = "Generate example data and models (synthetic click data, a trained logistic regression, "
        + "a random MLP of any size).",
    subcommands = {GenerateDataCommand.class, ExampleModelCommand.class, TrafficCommand.class})
public final class ExamplesCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
