package dev.modelship.controller.cli;

import dev.modelship.controller.registry.ArchiveLimits;
import dev.modelship.controller.registry.BuiltPackage;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelRegistries;
import dev.modelship.controller.registry.ModelRegistry;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.PackageBuilder;
import dev.modelship.controller.registry.RegistryException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship push}: publishes a model version to the registry. */
@Command(name = "push",
    description = {"Publish a model version to the registry.",
        "MODEL is a package folder (model.onnx + modelship.yaml [+ holdout.csv]), a .tar.gz/.tgz/.zip of one, or a "
            + "bare ONNX file, for which modelship.yaml is written from its graph, --task, --label and the holdout's "
            + "header.",
        "Exit status: 0 published (or already there with the same content), 1 refused (invalid package, version "
            + "taken by other content, registry unavailable), 2 wrong usage."})
public final class PushCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODEL", description = "model.onnx, a package folder, or an archive of one.")
  Path source;

  @Option(names = "--name", paramLabel = "NAME", description = "Model name; required for a bare model.onnx, else "
      + "it must match the name in modelship.yaml.")
  String name;

  @Option(names = "--version", paramLabel = "V", description = "Version number (default: one above the newest; "
      + "pushing the newest version's content again changes nothing).")
  Long version;

  @Option(names = "--holdout", paramLabel = "CSV", description = "Bare model.onnx only: the holdout data, with a "
      + "header line; its columns other than --label are the features, in order.")
  Path holdout;

  @Option(names = "--task", paramLabel = "TASK", description = "Bare model.onnx only: classification or regression.")
  String task;

  @Option(names = "--label", paramLabel = "COLUMN", description = "Bare model.onnx only: the holdout column with "
      + "the truth.")
  String label;

  // no standard -V/--version here: --version is the model version
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Option(names = "--registry", paramLabel = "URL", description = "A folder, file:PATH or "
      + "oci://HOST[:PORT]/REPOSITORY (default: $MODELSHIP_REGISTRY, else the registry in the Modelship home).")
  String registry;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final RegistryAccess access;

  public PushCommand() {
    this(RegistryAccess.fromEnvironment());
  }

  public PushCommand(RegistryAccess access) {
    this.access = access;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (version != null && version < 1) {
      err.println("error: --version must be 1 or more, got " + version);
      return CommandLine.ExitCode.USAGE;
    }
    ModelRegistry target;
    PackageBuilder.Request request;
    try {
      target = access.open(registry);
      request = new PackageBuilder.Request(source, name, holdout, parseTask(), label);
    } catch (RegistryException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    }
    PackageBuilder builder = new PackageBuilder(Path.of(System.getProperty("java.io.tmpdir")), ArchiveLimits.DEFAULT);
    try (BuiltPackage built = builder.build(request)) {
      ModelRegistry.PublishOutcome outcome = version == null
          ? ModelRegistries.publishAsNextVersion(target, built.name(), built.pkg())
          : target.publish(new ModelVersionRef(built.name(), version), built.pkg());
      ModelVersionRef ref = outcome.version().ref();
      out.println(outcome.created()
          ? "pushed " + ref + " (new) to " + target.location()
          : ref + " is already in " + target.location() + " with this content (unchanged)");
      out.println("digest " + outcome.version().digest());
      return CommandLine.ExitCode.OK;
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.USAGE;
    } catch (RegistryException e) {
      err.println("error: " + e.getMessage());
      return CommandLine.ExitCode.SOFTWARE;
    }
  }

  private ModelManifest.Task parseTask() {
    if (task == null) {
      return null;
    }
    return switch (task.strip().toLowerCase(Locale.ROOT)) {
      case "classification" -> ModelManifest.Task.CLASSIFICATION;
      case "regression" -> ModelManifest.Task.REGRESSION;
      default -> throw new IllegalArgumentException("--task must be classification or regression, got '" + task
          + "'");
    };
  }
}
