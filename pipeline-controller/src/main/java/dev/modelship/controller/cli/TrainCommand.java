package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.training.PackagePusher;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import dev.modelship.controller.training.TrainingResult;
import dev.modelship.controller.validate.InvalidDataException;
import dev.modelship.serving.model.ModelNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code modelship train}: a model package from a CSV, optionally pushed to the registry. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train a model on a CSV (header row, numeric feature columns, a label column) and write a model "
        + "package: model.onnx, modelship.yaml (signature, holdout metrics, thresholds) and holdout.csv.")
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--data", required = true, paramLabel = "CSV", description = "The training data.")
  Path data;

  @Option(names = "--label", required = true, paramLabel = "COLUMN", description = "The column to predict.")
  String label;

  @Option(names = "--name", required = true, description = "Model name.")
  String name;

  @Option(names = "--out", paramLabel = "DIR", description = "Package folder to write (must not exist or be "
      + "empty); default $MODELSHIP_HOME/trained/<name>/<csv name>-<csv sha256 prefix>.")
  Path outDir;

  @Option(names = "--push", description = "Push the package to the registry as the model's next version.")
  boolean push;

  @Mixin
  TrainingOptionsMixin training = new TrainingOptionsMixin();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final ModelshipHome home;
  private final Optional<PackagePusher> pusher;

  private RegistryPackages registry;

  public TrainCommand() {
    this(RegistryPackages.fromEnvironment());
  }

  private TrainCommand(RegistryPackages registry) {
    this(registry.home(), Optional.of(registry));
    this.registry = registry;
  }

  @Option(names = "--registry", paramLabel = "URL", description = "Registry for --push (default: "
      + "$MODELSHIP_REGISTRY, else $MODELSHIP_HOME/registry).")
  void registry(String url) {
    if (registry == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--registry is not available here");
    }
    registry.location(url);
  }

  /** @param pusher what {@code --push} does; without one, {@code --push} is refused */
  public TrainCommand(ModelshipHome home, Optional<PackagePusher> pusher) {
    this.home = home;
    this.pusher = pusher;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TrainingOptions options;
    try {
      options = checkedOptions();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    try {
      Path packageDir = outDir != null ? outDir : defaultPackageDir(home, name, data);
      TrainingResult result = new Trainer(err::println).train(data, label, name, options.withOutput(packageDir));
      out.println("model package: " + result.pkg().directory());
      out.println("digest: " + result.pkg().digest());
      out.println("holdout metrics (" + result.holdoutRows() + " rows): "
          + new TreeMap<>(result.manifest().metrics()).toString().replaceAll("[{}]", ""));
      if (push) {
        ModelVersionRef ref = pusher.orElseThrow().push(result.pkg());
        out.println("pushed as " + ref);
      }
      return 0;
    } catch (InvalidDataException | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (RegistryException e) {
      err.println("error: the package was written but the push failed (" + e.kind() + "): " + e.getMessage());
      return 1;
    }
  }

  private TrainingOptions checkedOptions() {
    if (!ModelNames.isValidName(name)) {
      throw new IllegalArgumentException("--name '" + name + "' is not a valid model name (letters, digits, '_', "
          + "'-', '.', starting with a letter or digit)");
    }
    if (push && pusher.isEmpty()) {
      throw new IllegalArgumentException("--push needs a model registry, and none is configured here");
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException("--data " + data + " is not a file");
    }
    return training.toOptions();
  }

  /** {@code <home>/trained/<name>/<csv name>-<12 hex of its sha256>}: the same data lands in the same place. */
  static Path defaultPackageDir(ModelshipHome home, String name, Path csv) throws IOException {
    String fileName = csv.getFileName().toString();
    String stem = fileName.endsWith(".csv") ? fileName.substring(0, fileName.length() - 4) : fileName;
    String sha = ModelPackage.sha256(csv).substring("sha256:".length());
    return home.root().resolve("trained").resolve(name).resolve(stem + "-" + sha.substring(0, 12));
  }
}
