package dev.modelship.controller.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.training.Trainer;
import dev.modelship.controller.training.TrainingOptions;
import dev.modelship.controller.training.TrainingResult;
import dev.modelship.controller.validate.CheckResult.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate against real models in ONNX Runtime, loaded by the serving runtime's loader. */
class ValidationGateIT {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final ValidationOptions FEW_TIMINGS = ValidationOptions.defaults().withLatencyRuns(20, 5);

  @TempDir
  static Path shared;
  static TrainingResult good;
  static TrainingResult shuffled;
  static final ValidationGate gate = ValidationGate.onCpu(Clock.fixed(NOW, ZoneOffset.UTC));

  @TempDir
  Path dir;

  @BeforeAll
  static void trainModels() throws Exception {
    good = GateFixtures.trainGood(shared);
    shuffled = GateFixtures.trainShuffled(shared, good);
  }

  private static CheckResult result(ValidationReport report, String check) {
    return report.checks().stream().filter(r -> r.check().equals(check)).findFirst()
        .orElseThrow(() -> new AssertionError("no check " + check + " in\n" + report.summary()));
  }

  private Path goodCopy(String name) throws Exception {
    return GateFixtures.copy(good.pkg(), dir.resolve(name));
  }

  @Test
  void passesAGoodModelRunningEveryCheckInOrder() {
    ValidationReport report = gate.validate(good.pkg(), Optional.empty(), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.PASSED);
    assertThat(report.checks()).extracting(CheckResult::check).containsExactly("integrity.digest",
        "integrity.manifest", "integrity.size", "integrity.onnx", "integrity.opset", "runtime", "signature",
        "quality.accuracy", "quality.roc_auc", "quality.log_loss", "latency", "output_sanity");
    assertThat(report.model()).isEqualTo("clicks");
    assertThat(report.digest()).isEqualTo(good.pkg().digest());
    assertThat(report.validatedAt()).isEqualTo(NOW.toString());
  }

  @Test
  void measuresInOnnxRuntimeWhatTrainingMeasuredInTheJvm() {
    ValidationReport report = gate.validate(good.pkg(), Optional.empty(), FEW_TIMINGS);

    // The same rows through the exported graph, fed in the manifest's feature order, give the same metrics:
    // a column fed to the wrong input would not.
    good.manifest().metrics().forEach((metric, value) ->
        assertThat(report.metrics().get(metric)).as(metric).isCloseTo(value, within(1e-4)));
  }

  @Test
  void passesAGoodModelAgainstItselfAsChampion() {
    ValidationReport report = gate.validate(good.pkg(), Optional.of(good.pkg()), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.PASSED);
    assertThat(result(report, "signature").status()).isEqualTo(Status.PASSED);
    assertThat(result(report, "quality.roc_auc.vs_champion").status()).isEqualTo(Status.PASSED);
    assertThat(report.championMetrics()).isEqualTo(report.metrics());
    assertThat(report.championDigest()).isEqualTo(good.pkg().digest());
  }

  @Test
  void rejectsAModelTrainedOnShuffledLabelsNamingAccuracyAucAndTheirThresholds() {
    ValidationReport report = gate.validate(shuffled.pkg(), Optional.of(good.pkg()), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.REJECTED);
    CheckResult accuracy = result(report, "quality.accuracy");
    assertThat(accuracy.status()).isEqualTo(Status.FAILED);
    assertThat(accuracy.threshold()).isEqualTo(good.manifest().thresholds().accuracyMin());
    assertThat(accuracy.measured()).isLessThan(accuracy.threshold());
    assertThat(accuracy.message()).matches("accuracy 0\\.\\d{4} < accuracy_min 0\\.\\d{4}");
    CheckResult auc = result(report, "quality.roc_auc");
    assertThat(auc.status()).isEqualTo(Status.FAILED);
    assertThat(auc.measured()).isLessThan(0.6);
    assertThat(auc.message()).contains("< roc_auc_min " + String.format(Locale.ROOT, "%.4f",
        good.manifest().thresholds().rocAucMin()));
    assertThat(result(report, "quality.roc_auc.vs_champion").status()).isEqualTo(Status.FAILED);
    assertThat(report.summary()).contains("FAILED   quality.accuracy").contains("FAILED   quality.roc_auc");
    // Nothing else is wrong with it: same signature, sane outputs.
    assertThat(result(report, "signature").status()).isEqualTo(Status.PASSED);
    assertThat(result(report, "output_sanity").status()).isEqualTo(Status.PASSED);
  }

  @Test
  void rejectsModelWhoseInputNameChangedUnlessBreakingChangesAreAllowed() throws Exception {
    Path renamed = goodCopy("renamed");
    OnnxFiles.renameInput(renamed.resolve("model.onnx"), "input", "features");
    GateFixtures.rewriteManifest(renamed, m -> GateFixtures.withInputs(m, List.of("features")));
    ModelPackage challenger = ModelPackage.fromDirectory(renamed);

    ValidationReport strict = gate.validate(challenger, Optional.of(good.pkg()), FEW_TIMINGS);
    ValidationReport lenient = gate.validate(challenger, Optional.of(good.pkg()), FEW_TIMINGS.withAllowBreaking(true));

    assertThat(strict.outcome()).as(strict.summary()).isEqualTo(Outcome.REJECTED);
    assertThat(strict.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.check()).isEqualTo("signature");
      assertThat(failure.message()).contains("input 'input' is gone").contains("new required input 'features'");
    });
    assertThat(lenient.outcome()).as(lenient.summary()).isEqualTo(Outcome.PASSED);
    assertThat(result(lenient, "signature").message()).startsWith("breaking changes allowed");
  }

  @Test
  void aModelAnsweringNaNFailsOutputSanity() throws Exception {
    Path nan = goodCopy("nan");
    Files.delete(nan.resolve("model.onnx"));
    OnnxFiles.nanClassifier(nan.resolve("model.onnx"), good.manifest().features().size());

    ValidationReport report = gate.validate(ModelPackage.fromDirectory(nan), Optional.empty(), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.REJECTED);
    CheckResult sanity = result(report, "output_sanity");
    assertThat(sanity.status()).isEqualTo(Status.FAILED);
    assertThat(sanity.measured()).isEqualTo((double) good.holdoutRows());
    assertThat(sanity.message()).contains("output 'output' for holdout.csv line 2: column 0 is NaN");
  }

  @Test
  void aTruncatedModelFailsIntegrityAndNothingElseIsTried() throws Exception {
    Path truncated = goodCopy("truncated");
    OnnxFiles.truncate(truncated.resolve("model.onnx"));

    ValidationReport report = gate.validate(ModelPackage.fromDirectory(truncated), Optional.of(good.pkg()),
        FEW_TIMINGS);

    assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(report.failures()).singleElement().satisfies(failure -> {
      assertThat(failure.check()).isEqualTo("integrity.onnx");
      assertThat(failure.message()).contains("truncated or corrupt");
    });
    assertThat(report.checks()).filteredOn(r -> List.of("runtime", "signature", "quality", "latency", "output_sanity")
        .contains(r.check())).hasSize(5).allSatisfy(r -> {
          assertThat(r.status()).isEqualTo(Status.SKIPPED);
          assertThat(r.message()).isEqualTo("not run: integrity failed");
        });
  }

  @Test
  void aHoldoutWhoseColumnsDoNotMatchTheManifestIsAnErrorNamingThem() throws Exception {
    Path misnamed = goodCopy("misnamed");
    Path holdout = misnamed.resolve("holdout.csv");
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(holdout));
    lines.set(0, lines.get(0).replace("item_price", "price"));
    Files.write(holdout, lines);

    ValidationReport report = gate.validate(ModelPackage.fromDirectory(misnamed), Optional.empty(), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.ERROR);
    CheckResult quality = result(report, "quality");
    assertThat(quality.status()).isEqualTo(Status.ERROR);
    assertThat(quality.message()).contains("lacks column(s) [item_price]").contains("price");
    assertThat(result(report, "output_sanity").status()).isEqualTo(Status.SKIPPED);
  }

  @Test
  void aManifestNamingAnInputTheGraphLacksFailsTheRuntimeCheck() throws Exception {
    Path wrong = goodCopy("wrong-input");
    GateFixtures.rewriteManifest(wrong, m -> GateFixtures.withInputs(m, List.of("x")));

    ValidationReport report = gate.validate(ModelPackage.fromDirectory(wrong), Optional.empty(), FEW_TIMINGS);

    assertThat(report.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result(report, "runtime").message()).contains("has inputs [input]")
        .contains("modelship.yaml names inputs [x]");
    assertThat(result(report, "quality").status()).isEqualTo(Status.SKIPPED);
  }

  @Test
  void judgesLatencyAgainstTheBudgetInTheManifest() throws Exception {
    Path budgeted = goodCopy("budgeted");
    // No inference takes a nanosecond, and none is a million times slower than the same model.
    GateFixtures.rewriteManifest(budgeted, m -> GateFixtures.withLatency(m, new ModelManifest.Latency(1e-6, 1e6)));

    ValidationReport report = gate.validate(ModelPackage.fromDirectory(budgeted), Optional.of(good.pkg()),
        FEW_TIMINGS);

    CheckResult p99 = result(report, "latency.p99_ms");
    assertThat(p99.status()).isEqualTo(Status.FAILED);
    assertThat(p99.measured()).isGreaterThan(p99.threshold());
    assertThat(p99.message()).contains("20 runs on CPU");
    assertThat(result(report, "latency.ratio_to_champion").status()).isEqualTo(Status.PASSED);
  }

  @Test
  void aChampionThatCannotBeLoadedMakesTheComparisonsErrors() throws Exception {
    Path broken = goodCopy("broken-champion");
    OnnxFiles.truncate(broken.resolve("model.onnx"));

    ValidationReport report = gate.validate(good.pkg(), Optional.of(ModelPackage.fromDirectory(broken)),
        FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.ERROR);
    assertThat(result(report, "signature").status()).isEqualTo(Status.ERROR);
    assertThat(result(report, "signature").message()).startsWith("the champion cannot be used");
    assertThat(result(report, "quality.vs_champion").status()).isEqualTo(Status.ERROR);
    assertThat(result(report, "quality.accuracy").status()).isEqualTo(Status.PASSED);
  }

  @Test
  void passesARegressionModelOnItsRmseAndMae() throws Exception {
    Random random = new Random(3);
    StringBuilder csv = new StringBuilder("b,a,y\n");
    for (int i = 0; i < 500; i++) {
      double a = random.nextDouble() * 10;
      double b = random.nextDouble() * 10;
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f%n", b, a, 2 * a - b + 1 + 0.1 * random.nextGaussian()));
    }
    Path data = Files.writeString(dir.resolve("y.csv"), csv);
    TrainingResult regression = new Trainer(line -> { }).train(data, "y", "lines", TrainingOptions.defaults()
        .withTask(ModelManifest.Task.REGRESSION).withOutput(dir.resolve("lines")));

    ValidationReport report = gate.validate(regression.pkg(), Optional.of(regression.pkg()), FEW_TIMINGS);

    assertThat(report.outcome()).as(report.summary()).isEqualTo(Outcome.PASSED);
    assertThat(report.metrics()).containsOnlyKeys("rmse", "mae");
    assertThat(report.metrics().get("rmse")).isCloseTo(regression.manifest().metrics().get("rmse"), within(1e-3));
    assertThat(result(report, "quality.rmse").status()).isEqualTo(Status.PASSED);
    assertThat(result(report, "output_sanity").message()).isEqualTo("all outputs finite");
  }
}
