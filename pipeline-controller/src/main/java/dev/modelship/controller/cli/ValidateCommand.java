package dev.modelship.controller.cli;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.controller.validate.Outcome;
import dev.modelship.controller.validate.PackageSource;
import dev.modelship.controller.validate.ValidationGate;
import dev.modelship.controller.validate.ValidationOptions;
import dev.modelship.controller.validate.ValidationReport;
import dev.modelship.controller.validate.ValidationStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code modelship validate}: runs the validation gate on a version and files the report. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Run the validation gate: integrity, loads in ONNX Runtime (CPU), signature against the "
        + "champion, holdout quality, latency, output sanity. Exit 0 passed, 1 rejected, 2 error. With NAME:VERSION "
        + "the report is stored in $MODELSHIP_HOME/validations/<name>/<version>.json.")
public final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME:VERSION", description = "The version to validate.")
  String ref;

  @Option(names = "--package", paramLabel = "DIR", description = "Validate this package folder (as NAME:VERSION "
      + "when given) instead of fetching it.")
  Path packageDir;

  @Option(names = "--against", paramLabel = "NAME:VERSION", description = "The champion to compare with.")
  String against;

  @Option(names = "--champion-package", paramLabel = "DIR", description = "The champion's package folder.")
  Path championDir;

  @Option(names = "--allow-breaking", description = "Accept a signature change that breaks the champion's callers.")
  boolean allowBreaking;

  @Option(names = "--json", description = "Print the report as JSON instead of one line per check.")
  boolean json;

  @Option(names = "--expected-digest", paramLabel = "sha256:HEX", description = "Require this package digest.")
  String expectedDigest;

  @Option(names = "--latency-runs", defaultValue = "200", description = "Timed single-row inferences per model "
      + "(default ${DEFAULT-VALUE}).")
  int latencyRuns;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private final ModelshipHome home;
  private final PackageSource source;
  private final ValidationGate gate;

  private RegistryPackages registry;

  @Option(names = "--no-champion", description = "Validate alone, without comparing with a champion.")
  boolean noChampion;

  public ValidateCommand() {
    this(RegistryPackages.fromEnvironment());
  }

  private ValidateCommand(RegistryPackages registry) {
    this(registry.home(), registry, ValidationGate.onCpu(Clock.systemUTC()));
    this.registry = registry;
  }

  @Option(names = "--registry", paramLabel = "URL", description = "Registry holding NAME:VERSION and the champion "
      + "(default: $MODELSHIP_REGISTRY, else $MODELSHIP_HOME/registry).")
  void registry(String url) {
    if (registry == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--registry is not available here");
    }
    registry.location(url);
  }

  /** @param source resolves NAME:VERSION (and --against) to package folders, usually from the registry */
  public ValidateCommand(ModelshipHome home, PackageSource source, ValidationGate gate) {
    this.home = home;
    this.source = source;
    this.gate = gate;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      Optional<ModelVersionRef> version = ref == null ? Optional.empty() : Optional.of(ModelVersionRef.parse(ref));
      ModelPackage challenger = challenger(version);
      Optional<ModelPackage> champion = champion();
      ValidationOptions options = ValidationOptions.defaults().withAllowBreaking(allowBreaking)
          .withLatencyRuns(latencyRuns, ValidationOptions.DEFAULT_LATENCY_WARM_UPS);
      if (expectedDigest != null) {
        options = options.withExpectedDigest(expectedDigest);
      }
      ValidationReport report = gate.validate(challenger, champion, options);
      if (against != null) {
        report = report.withChampion(against);
      }
      if (version.isPresent()) {
        report = report.withVersion(version.get());
        err.println("report stored in " + ValidationStore.in(home).save(version.get(), report));
      }
      out.print(json ? report.toJson() + "\n" : report.summary());
      out.flush();
      return report.outcome().exitCode();
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
    } catch (RegistryException e) {
      err.println("error: " + e.getMessage());
    } catch (IOException e) {
      err.println("error: cannot store the validation report: " + e.getMessage());
    }
    return Outcome.ERROR.exitCode();
  }

  private ModelPackage challenger(Optional<ModelVersionRef> version) throws RegistryException {
    if (packageDir == null) {
      return source.fetch(version.orElseThrow(() -> new IllegalArgumentException("give NAME:VERSION or --package "
          + "DIR")));
    }
    ModelPackage pkg = ModelPackage.fromDirectory(packageDir);
    if (version.isPresent()) {
      String named = ModelManifest.read(pkg.manifestFile()).name();
      if (!named.equals(version.get().name())) {
        throw new IllegalArgumentException(packageDir + " holds model '" + named + "', not " + version.get().name());
      }
    }
    return pkg;
  }

  private Optional<ModelPackage> champion() throws RegistryException, IOException {
    if (against != null && championDir != null) {
      throw new IllegalArgumentException("give --against or --champion-package, not both");
    }
    if (championDir != null) {
      return Optional.of(ModelPackage.fromDirectory(championDir));
    }
    if (against == null && !noChampion && registry != null && ref != null && packageDir == null) {
      Optional<ModelVersionRef> previous = registry.latestPassedBefore(ModelVersionRef.parse(ref));
      if (previous.isPresent()) {
        against = previous.get().toString();
        spec.commandLine().getErr().println("champion: " + against + " (the newest earlier version that passed "
            + "validation; --against or --no-champion to choose)");
      }
    }
    return against == null ? Optional.empty() : Optional.of(source.fetch(ModelVersionRef.parse(against)));
  }
}
