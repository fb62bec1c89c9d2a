package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.training.DataWatcher;
import dev.modelship.controller.training.PackagePusher;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import dev.modelship.controller.training.WatchState;
import dev.modelship.serving.model.ModelNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship watch-data}: trains (and pushes) a version for every new CSV dropped into a folder. */
@Command(name = "watch-data", mixinStandardHelpOptions = true,
    description = "Watch a folder for new CSV files; train a model package on each one once it is completely "
        + "written (size unchanged between two scans, or last modified --settle-seconds ago; write elsewhere and "
        + "rename to *.csv to be sure), and push it with --push. Files already handled are remembered in "
        + "$MODELSHIP_HOME/state/watch-data/<name>.json and not trained on again.")
public final class WatchDataCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The folder to watch.")
  Path dir;

  @Option(names = "--name", required = true, description = "Model name.")
  String name;

  @Option(names = "--label", required = true, paramLabel = "COLUMN", description = "The column to predict.")
  String label;

  @Option(names = "--out", paramLabel = "DIR", description = "Where packages go, one folder per CSV "
      + "(default $MODELSHIP_HOME/trained/<name>).")
  Path outDir;

  @Option(names = "--push", description = "Push each package to the registry as the model's next version.")
  boolean push;

  @Option(names = "--once", description = "Scan once and exit (1 when a file could not be trained on).")
  boolean once;

  @Option(names = "--poll-seconds", defaultValue = "5", description = "Seconds between scans (default "
      + "${DEFAULT-VALUE}).")
  long pollSeconds;

  @Option(names = "--settle-seconds", defaultValue = "10", description = "A file last modified this long ago "
      + "counts as completely written (default ${DEFAULT-VALUE}).")
  long settleSeconds;

  @Mixin
  TrainingOptionsMixin training = new TrainingOptionsMixin();

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final ModelshipHome home;
  private final Optional<PackagePusher> pusher;
  private final Clock clock;

  private RegistryPackages registry;

  public WatchDataCommand() {
    this(RegistryPackages.fromEnvironment());
  }

  private WatchDataCommand(RegistryPackages registry) {
    this(registry.home(), Optional.of(registry), Clock.systemUTC());
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
  public WatchDataCommand(ModelshipHome home, Optional<PackagePusher> pusher, Clock clock) {
    this.home = home;
    this.pusher = pusher;
    this.clock = clock;
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DataWatcher watcher;
    try {
      watcher = watcher(err);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    out.println("watching " + dir + " for new *.csv files (model " + name + ", label " + label + ")");
    out.flush();
    while (true) {
      boolean failed;
      try {
        List<WatchState.Entry> handled = watcher.scanOnce();
        handled.forEach(entry -> out.println(entry.file() + ": " + entry.status()
            + (entry.pushed() != null ? " as " + entry.pushed() : "")
            + (entry.message() != null ? " (" + entry.message() + ")" : "") + " -> " + entry.packageDirectory()));
        out.flush();
        failed = handled.stream().anyMatch(entry -> entry.status() == WatchState.Status.FAILED
            || entry.status() == WatchState.Status.PUSH_FAILED);
      } catch (IOException e) {
        err.println("error: scanning " + dir + " failed (tried again next scan): " + e.getMessage());
        failed = true;
      }
      if (once) {
        return failed ? 1 : 0;
      }
      Thread.sleep(Duration.ofSeconds(pollSeconds).toMillis());
    }
  }

  private DataWatcher watcher(PrintWriter err) {
    if (!ModelNames.isValidName(name)) {
      throw new IllegalArgumentException("--name '" + name + "' is not a valid model name (letters, digits, '_', "
          + "'-', '.', starting with a letter or digit)");
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a folder");
    }
    if (push && pusher.isEmpty()) {
      throw new IllegalArgumentException("--push needs a model registry, and none is configured here");
    }
    if (pollSeconds < 1 || settleSeconds < 0) {
      throw new IllegalArgumentException("--poll-seconds must be at least 1 and --settle-seconds 0 or more");
    }
    TrainingOptions options = training.toOptions();
    Path packages = outDir != null ? outDir : home.root().resolve("trained").resolve(name);
    Path stateFile = home.state().resolve("watch-data").resolve(name + ".json");
    DataWatcher.Settings settings = new DataWatcher.Settings(dir, packages, stateFile, name, label, options,
        Duration.ofSeconds(settleSeconds));
    return new DataWatcher(settings, new Trainer(err::println), push ? pusher : Optional.empty(), clock,
        line -> {
          err.println(line);
          err.flush();
        });
  }
}
