package dev.modelship.controller.cli;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.training.TrainingOptions;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The training options {@code train} and {@code watch-data} share. */
final class TrainingOptionsMixin {
  @Option(names = "--task", defaultValue = "classification", paramLabel = "TASK",
      description = "classification (logistic regression) or regression (linear, squared loss); default "
          + "${DEFAULT-VALUE}.")
  String task;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the holdout split and of training "
      + "(default ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--holdout-fraction", defaultValue = "0.2", paramLabel = "F",
      description = "Share of the rows held out to measure the model (default ${DEFAULT-VALUE}).")
  double holdoutFraction;

  @Option(names = "--holdout", paramLabel = "CSV", description = "A fixed holdout with the same columns, instead "
      + "of splitting one off the data.")
  Path holdout;

  @Option(names = "--epochs", defaultValue = "20", description = "Passes over the training rows (default "
      + "${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--bars-from", paramLabel = "MODELSHIP_YAML", description = "Take thresholds, "
      + "champion_tolerance, latency and serving from this modelship.yaml instead of deriving thresholds from "
      + "the holdout metrics.")
  Path barsFrom;

  /** The options, or an {@link IllegalArgumentException} whose message names the bad option. */
  TrainingOptions toOptions() {
    ModelManifest.Task parsedTask;
    try {
      parsedTask = ModelManifest.Task.valueOf(task.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--task must be classification or regression, got '" + task + "'");
    }
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("--holdout-fraction must be above 0 and below 1, got " + holdoutFraction);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    TrainingOptions options = TrainingOptions.defaults().withTask(parsedTask).withSeed(seed)
        .withHoldoutFraction(holdoutFraction).withEpochs(epochs);
    if (holdout != null) {
      options = options.withHoldoutFile(holdout);
    }
    if (barsFrom != null) {
      try {
        options = options.withBars(ModelManifest.read(barsFrom));
      } catch (RegistryException e) {
        throw new IllegalArgumentException("--bars-from: " + e.getMessage());
      }
    }
    return options;
  }
}
