package dev.modelship.controller.validate;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.RegistryException;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelConfig;
import dev.modelship.serving.model.ModelLoadException;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelRepository;
import dev.modelship.serving.model.TensorSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Decides whether a model version may go on towards production. Checks, in order: integrity, loading and
 * running in ONNX Runtime on CPU (the serving image's runtime and loader), signature compatibility with the
 * champion, quality on the holdout, single-row latency, and sanity of the outputs. A check whose premise
 * failed is skipped, never guessed at.
 */
public final class ValidationGate {
  /** The loader wants a version; a package being validated may not have one yet. */
  private static final long UNVERSIONED = 0;
  private final ModelLoader loader;
  private final Clock clock;
  private final LongSupplier nanoTime;

  /**
   * @param loader loads models as the serving runtime does; give it the CPU device and one thread, so that
   *     latency is measured the same way each time
   * @param nanoTime the clock for latency timings
   */
  public ValidationGate(ModelLoader loader, Clock clock, LongSupplier nanoTime) {
    this.loader = loader;
    this.clock = clock;
    this.nanoTime = nanoTime;
  }

  /** The gate as the pipeline runs it: the serving runtime's loader on one CPU thread. */
  public static ValidationGate onCpu(Clock clock) {
    return new ValidationGate(new ModelLoader(OrtEnvironment.getEnvironment(),
        new ModelLoader.Defaults(DeviceSpec.cpu(), 1)), clock, System::nanoTime);
  }

  public ValidationReport validate(ModelPackage challenger, Optional<ModelPackage> champion,
                                   ValidationOptions options) {
    List<CheckResult> results = new ArrayList<>();
    IntegrityCheck.Findings integrity = IntegrityCheck.check(challenger, options.expectedDigest(),
        options.maxModelBytes());
    results.addAll(integrity.results());
    if (!integrity.passed()) {
      results.addAll(GateRun.skippedFromRuntime("integrity failed"));
      return report(challenger, integrity.manifest(), champion, null, results);
    }
    ModelManifest manifest = integrity.manifest();
    Contender loaded;
    try {
      loaded = load(challenger, manifest);
      results.add(CheckResult.passed(GateRun.RUNTIME_CHECK, "loads and runs on CPU in ONNX Runtime: inputs "
          + loaded.runner.inputs() + ", outputs " + loaded.runner.outputs()));
    } catch (ModelLoadException e) {
      results.add(CheckResult.failed(GateRun.RUNTIME_CHECK, e.getMessage()));
      results.addAll(GateRun.skippedAfterRuntime("the model does not load"));
      return report(challenger, manifest, champion, null, results);
    }
    Optional<Contender> loadedChampion = Optional.empty();
    String championProblem = null;
    try (Contender challengerModel = loaded) {
      if (champion.isPresent()) {
        try {
          loadedChampion = Optional.of(load(champion.get(), ModelManifest.read(champion.get().manifestFile())));
        } catch (RegistryException | ModelLoadException e) {
          championProblem = "the champion cannot be used: " + e.getMessage();
        }
      }
      GateRun run = new GateRun(challengerModel, loadedChampion, championProblem, options, nanoTime);
      results.addAll(run.checksAfterLoading());
      return report(challenger, manifest, champion, run, results);
    } finally {
      loadedChampion.ifPresent(Contender::close);
    }
  }

  /**
   * Loads with the runtime's loader and checks that the graph has the inputs and outputs modelship.yaml
   * names, since every later check addresses them by those names.
   */
  private Contender load(ModelPackage pkg, ModelManifest manifest) throws ModelLoadException {
    String label = "model.onnx of " + manifest.name() + " (" + pkg.directory() + ")";
    LoadedModel model;
    try {
      model = loader.load(new ModelRepository.ModelSource(manifest.name(), UNVERSIONED, pkg.directory(),
          ModelConfig.empty()));
    } catch (ModelLoadException e) {
      // The loader names the model by the placeholder version; the package's folder says more.
      String loaderLabel = "model '" + manifest.name() + "' version " + UNVERSIONED + ": ";
      String why = e.getMessage().startsWith(loaderLabel) ? e.getMessage().substring(loaderLabel.length())
          : e.getMessage();
      throw new ModelLoadException(label + ": " + why, e);
    }
    List<String> inputs = model.inputs().stream().map(TensorSpec::name).toList();
    List<String> outputs = model.outputs().stream().map(TensorSpec::name).toList();
    if (!inputs.equals(manifest.inputs()) || !outputs.containsAll(manifest.outputs())) {
      model.close();
      throw new ModelLoadException(label + " has inputs " + inputs + " and outputs " + outputs + ", but "
          + "modelship.yaml names inputs " + manifest.inputs() + " and outputs " + manifest.outputs());
    }
    return new Contender(pkg, manifest, new ModelRunner(model));
  }

  private ValidationReport report(ModelPackage challenger, ModelManifest manifest, Optional<ModelPackage> champion,
                                  GateRun run, List<CheckResult> results) {
    String name = manifest != null ? manifest.name() : challenger.directory().getFileName().toString();
    return new ValidationReport(name, null, challenger.digest(),
        champion.map(c -> c.directory().toString()).orElse(null), champion.map(ModelPackage::digest).orElse(null),
        Outcome.of(results), results, run == null ? null : run.challengerMetrics(),
        run == null ? null : run.championMetrics(), clock.instant().toString());
  }
}
