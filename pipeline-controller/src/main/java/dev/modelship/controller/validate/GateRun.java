package dev.modelship.controller.validate;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.serving.batching.InferenceFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * The checks of one validation that need the models running: signature, quality, latency, output sanity.
 * Lives for one {@link ValidationGate#validate} call; the decisions are made by the pure checks it feeds.
 */
final class GateRun {
  static final String RUNTIME_CHECK = "runtime";
  private static final List<String> CHECKS_AFTER_RUNTIME = List.of(SignatureCheck.CHECK, QualityCheck.CHECK,
      LatencyCheck.CHECK, OutputSanityCheck.CHECK);

  private final Contender challenger;
  private final Optional<Contender> champion;
  private final String championProblem;
  private final ValidationOptions options;
  private final LongSupplier nanoTime;
  private final ModelManifest manifest;
  private Holdout holdout;
  private String noHoldoutOutputs = "the holdout was not run";

  GateRun(Contender challenger, Optional<Contender> champion, String championProblem, ValidationOptions options,
          LongSupplier nanoTime) {
    this.challenger = challenger;
    this.champion = champion;
    this.championProblem = championProblem;
    this.options = options;
    this.nanoTime = nanoTime;
    this.manifest = challenger.manifest;
  }

  /** SKIPPED results for the runtime check and every one after it. */
  static List<CheckResult> skippedFromRuntime(String reason) {
    List<CheckResult> skipped = new ArrayList<>();
    skipped.add(CheckResult.skipped(RUNTIME_CHECK, "not run: " + reason));
    skipped.addAll(skippedAfterRuntime(reason));
    return skipped;
  }

  /** SKIPPED results for every check after the runtime check. */
  static List<CheckResult> skippedAfterRuntime(String reason) {
    return CHECKS_AFTER_RUNTIME.stream().map(check -> CheckResult.skipped(check, "not run: " + reason)).toList();
  }

  List<CheckResult> checksAfterLoading() {
    List<CheckResult> results = new ArrayList<>();
    results.add(signature());
    results.addAll(quality());
    results.addAll(latency());
    results.add(outputSanity());
    return results;
  }

  Map<String, Double> challengerMetrics() {
    return challenger.metrics;
  }

  Map<String, Double> championMetrics() {
    return champion.map(c -> c.metrics).orElse(null);
  }

  private boolean hasChampion() {
    return champion.isPresent() || championProblem != null;
  }

  private CheckResult signature() {
    if (championProblem != null) {
      return CheckResult.error(SignatureCheck.CHECK, championProblem);
    }
    return champion.map(c -> SignatureCheck.judge(challenger.runner.signature(manifest),
            c.runner.signature(c.manifest), options.allowBreaking()))
        .orElseGet(() -> CheckResult.skipped(SignatureCheck.CHECK, "no champion to compare with"));
  }

  private List<CheckResult> quality() {
    String check = QualityCheck.CHECK;
    boolean barsSet = !manifest.thresholds().equals(ModelManifest.Thresholds.NONE);
    if (!challenger.pkg.hasHoldout()) {
      noHoldoutOutputs = "the package has no holdout.csv";
      return List.of(barsSet || hasChampion()
          ? CheckResult.error(check, "the package has no holdout.csv, so its quality cannot be measured against "
              + (barsSet ? "the thresholds in modelship.yaml" : "the champion"))
          : CheckResult.skipped(check, "the package has no holdout.csv and modelship.yaml sets no thresholds"));
    }
    try {
      holdout = Holdout.read(challenger.pkg.file(ModelPackage.HOLDOUT_FILE), manifest);
      challenger.metrics = measure(challenger, holdout);
    } catch (InvalidDataException | IOException e) {
      noHoldoutOutputs = "the holdout could not be fed to the model";
      return List.of(CheckResult.error(check, e.getMessage()));
    } catch (InferenceFailure e) {
      noHoldoutOutputs = "the model failed on the holdout";
      return List.of(CheckResult.failed(check, "running the holdout through the model failed: " + e.getMessage()));
    }
    List<CheckResult> results = new ArrayList<>();
    Optional<Map<String, Double>> championMetrics = Optional.empty();
    if (championProblem != null) {
      results.add(CheckResult.error(check + ".vs_champion", championProblem));
    } else if (champion.isPresent()) {
      try {
        Holdout sameRows = Holdout.read(challenger.pkg.file(ModelPackage.HOLDOUT_FILE), champion.get().manifest);
        champion.get().metrics = measure(champion.get(), sameRows);
        championMetrics = Optional.of(champion.get().metrics);
      } catch (InvalidDataException | IOException | InferenceFailure e) {
        results.add(CheckResult.error(check + ".vs_champion", "the champion cannot be measured on the challenger's "
            + "holdout: " + e.getMessage()));
      }
    }
    results.addAll(0, QualityCheck.judge(manifest.task(), manifest.thresholds(),
        manifest.effectiveChampionTolerance(), challenger.metrics, championMetrics));
    return results;
  }

  /** Runs the holdout through one model and computes its metrics; keeps the outputs for the sanity check. */
  private static Map<String, Double> measure(Contender model, Holdout rows)
      throws InvalidDataException, InferenceFailure {
    ModelManifest manifest = model.manifest;
    Optional<String> feedProblem = model.runner.feedProblem(manifest.features().size());
    if (feedProblem.isPresent()) {
      throw new InvalidDataException(manifest.name() + ": " + feedProblem.get());
    }
    model.holdoutOutputs = model.runner.predict(rows.features());
    double[][] predictions = model.holdoutOutputs.get(model.predictionOutput());
    int width = predictions[0].length;
    if (manifest.task() == ModelManifest.Task.CLASSIFICATION) {
      if (width != manifest.classes().size()) {
        throw new InvalidDataException(manifest.name() + ": output '" + model.predictionOutput() + "' has " + width
            + " column(s), but modelship.yaml lists " + manifest.classes().size() + " classes " + manifest.classes());
      }
      return QualityMetrics.classification(predictions, rows.classIndices(manifest.classes()));
    }
    if (width != 1) {
      throw new InvalidDataException(manifest.name() + ": output '" + model.predictionOutput() + "' has " + width
          + " columns; a regression model predicts one value per row");
    }
    double[] predicted = Arrays.stream(predictions).mapToDouble(row -> row[0]).toArray();
    return QualityMetrics.regression(predicted, rows.numericLabels());
  }

  private List<CheckResult> latency() {
    ModelManifest.Latency budget = manifest.latency();
    if (!LatencyCheck.hasBudget(budget)) {
      return LatencyCheck.judge(budget, Double.NaN, OptionalDouble.empty(), 0);
    }
    Optional<String> feedProblem = challenger.runner.feedProblem(manifest.features().size());
    if (feedProblem.isPresent()) {
      return List.of(CheckResult.error(LatencyCheck.CHECK, "cannot time the model: " + feedProblem.get()));
    }
    double[] row = holdout != null ? holdout.features()[0] : new double[manifest.features().size()];
    try {
      double p99 = p99(challenger, row);
      OptionalDouble championP99 = OptionalDouble.empty();
      if (budget.ratioToChampionMax() != null && champion.isPresent()
          && champion.get().runner.feedProblem(champion.get().manifest.features().size()).isEmpty()) {
        championP99 = OptionalDouble.of(p99(champion.get(), reorder(row, champion.get().manifest)));
      }
      return LatencyCheck.judge(budget, p99, championP99, options.latencyRuns());
    } catch (InferenceFailure e) {
      return List.of(CheckResult.failed(LatencyCheck.CHECK, "single-row inference failed: " + e.getMessage()));
    }
  }

  private double p99(Contender model, double[] row) throws InferenceFailure {
    return LatencyCheck.p99Millis(model.runner.timeSingleRow(row, options.latencyWarmUps(), options.latencyRuns(),
        nanoTime));
  }

  /** The challenger's row in the champion's feature order (zeros for features it does not know). */
  private double[] reorder(double[] row, ModelManifest championManifest) {
    double[] reordered = new double[championManifest.features().size()];
    for (int i = 0; i < reordered.length; i++) {
      int at = manifest.features().indexOf(championManifest.features().get(i));
      reordered[i] = at < 0 ? 0 : row[at];
    }
    return reordered;
  }

  private CheckResult outputSanity() {
    if (challenger.holdoutOutputs == null) {
      return CheckResult.skipped(OutputSanityCheck.CHECK, "not run: " + noHoldoutOutputs);
    }
    return OutputSanityCheck.judge(manifest.task(), challenger.holdoutOutputs, challenger.predictionOutput(),
        holdout.lines());
  }
}
