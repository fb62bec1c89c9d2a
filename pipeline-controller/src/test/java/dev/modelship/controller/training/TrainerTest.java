package dev.modelship.controller.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.validate.InvalidDataException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir
  static Path shared;
  static Path clicksCsv;
  static TrainingResult clicks;
  static final List<String> progress = new ArrayList<>();

  @TempDir
  Path dir;

  /** Training takes a moment; the tests that read a good package share one. */
  @BeforeAll
  static void trainOnce() throws Exception {
    clicksCsv = shared.resolve("clicks.csv");
    ClickData.writeCsv(clicksCsv, ClickData.generate(1, 2000, 0));
    clicks = new Trainer(progress::add).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withOutput(shared.resolve("clicks-package")));
  }

  private Path csv(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static String lines(String header, int rows, java.util.function.IntFunction<String> row) {
    StringBuilder text = new StringBuilder(header).append('\n');
    for (int i = 0; i < rows; i++) {
      text.append(row.apply(i)).append('\n');
    }
    return text.toString();
  }

  @Test
  void writesAPackageWithModelManifestAndHoldout() throws Exception {
    ModelPackage pkg = clicks.pkg();

    assertThat(pkg.fileDigests()).containsOnlyKeys("holdout.csv", "model.onnx", "modelship.yaml");
    ModelManifest manifest = ModelManifest.read(pkg.manifestFile());
    assertThat(manifest).isEqualTo(clicks.manifest());
    assertThat(manifest.name()).isEqualTo("clicks");
    assertThat(manifest.task()).isEqualTo(ModelManifest.Task.CLASSIFICATION);
    assertThat(manifest.inputs()).containsExactly("input");
    assertThat(manifest.outputs()).containsExactly("output");
    assertThat(manifest.label()).isEqualTo("clicked");
    assertThat(manifest.features()).isEqualTo(ClickData.FEATURES.stream().sorted().toList());
    assertThat(manifest.classes()).containsExactlyInAnyOrder("0", "1");
    assertThat(manifest.championTolerance()).isEqualTo(0.01);
  }

  @Test
  void recordsHoldoutMetricsAndThresholdsALittleBelowThem() {
    ModelManifest manifest = clicks.manifest();

    assertThat(manifest.metrics()).containsOnlyKeys("accuracy", "roc_auc", "log_loss");
    assertThat(manifest.metrics().get("roc_auc")).isGreaterThan(0.7);
    assertThat(manifest.thresholds().accuracyMin()).isLessThan(manifest.metrics().get("accuracy"))
        .isGreaterThan(manifest.metrics().get("accuracy") - 0.03);
    assertThat(manifest.thresholds().rocAucMin()).isLessThan(manifest.metrics().get("roc_auc"));
    assertThat(manifest.thresholds().logLossMax()).isGreaterThan(manifest.metrics().get("log_loss"));
  }

  @Test
  void holdsOutTwentyPercentOfTheRowsAsTheyWereWritten() throws Exception {
    List<String> holdout = Files.readAllLines(clicks.pkg().file("holdout.csv"));
    List<String> data = Files.readAllLines(clicksCsv);

    assertThat(clicks.holdoutRows()).isEqualTo(400);
    assertThat(clicks.trainingRows()).isEqualTo(1600);
    assertThat(holdout).hasSize(401);
    assertThat(holdout.get(0)).isEqualTo(data.get(0));
    assertThat(data).containsAll(holdout);
  }

  @Test
  void reportsProgressAndLeavesNoPartialFolderBehind() throws Exception {
    assertThat(progress).anyMatch(line -> line.startsWith("read 2000 rows of 8 features"))
        .anyMatch(line -> line.startsWith("training a logistic regression on 1600 rows"))
        .anyMatch(line -> line.startsWith("holdout metrics: accuracy"));
    try (Stream<Path> entries = Files.list(shared)) {
      assertThat(entries).noneMatch(p -> p.getFileName().toString().contains("partial"));
    }
  }

  @Test
  void theSameSeedHoldsOutTheSameRowsAndAnotherSeedOthers() throws Exception {
    TrainingResult again = new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withOutput(dir.resolve("again")));
    TrainingResult reseeded = new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withSeed(7).withOutput(dir.resolve("reseeded")));

    byte[] holdout = Files.readAllBytes(clicks.pkg().file("holdout.csv"));
    assertThat(Files.readAllBytes(again.pkg().file("holdout.csv"))).isEqualTo(holdout);
    assertThat(Files.readAllBytes(reseeded.pkg().file("holdout.csv"))).isNotEqualTo(holdout);
  }

  @Test
  void trainsALinearRegressionOnANumericLabel() throws Exception {
    Random random = new Random(5);
    double[] prices = new double[600];
    Path data = csv("prices.csv", lines("size,age,price", prices.length, i -> {
      double size = 20 + random.nextDouble() * 100;
      double age = random.nextDouble() * 10;
      prices[i] = 3 * size - 2 * age + 5 + random.nextGaussian();
      return String.format(Locale.ROOT, "%.3f,%.3f,%.3f", size, age, prices[i]);
    }));
    double mean = Arrays.stream(prices).average().orElseThrow();
    double spread = Math.sqrt(Arrays.stream(prices).map(p -> (p - mean) * (p - mean)).average().orElseThrow());

    TrainingResult result = new Trainer(line -> { }).train(data, "price", "prices",
        TrainingOptions.defaults().withTask(ModelManifest.Task.REGRESSION).withOutput(dir.resolve("prices")));

    ModelManifest manifest = result.manifest();
    assertThat(manifest.task()).isEqualTo(ModelManifest.Task.REGRESSION);
    assertThat(manifest.features()).containsExactly("age", "size");
    assertThat(manifest.classes()).isEmpty();
    // Predicting the mean would give an RMSE of the target's spread (about 90); the line is learned well below it.
    assertThat(manifest.metrics().get("rmse")).isLessThan(spread / 10);
    assertThat(manifest.metrics().get("mae")).isLessThan(manifest.metrics().get("rmse"));
    assertThat(manifest.thresholds().rmseMax()).isGreaterThan(manifest.metrics().get("rmse"));
    assertThat(manifest.thresholds().accuracyMin()).isNull();
  }

  @Test
  void aFixedHoldoutAndGivenBarsReplaceTheSplitAndTheDerivedThresholds() throws Exception {
    ModelManifest.Thresholds teamBars = new ModelManifest.Thresholds(0.71, 0.76, null, null, null);
    ModelManifest bars = new ModelManifest("clicks", ModelManifest.Task.CLASSIFICATION, List.of("input"),
        List.of("output"), null, null, null, teamBars, 0.02, new ModelManifest.Latency(5.0, null), null, null);
    Path fixedHoldout = clicks.pkg().file("holdout.csv");

    TrainingResult result = new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks", TrainingOptions.defaults()
        .withHoldoutFile(fixedHoldout).withBars(bars).withOutput(dir.resolve("fixed")));

    assertThat(result.trainingRows()).isEqualTo(2000);
    assertThat(Files.readAllLines(result.pkg().file("holdout.csv"))).isEqualTo(Files.readAllLines(fixedHoldout));
    assertThat(result.manifest().thresholds()).isEqualTo(teamBars);
    assertThat(result.manifest().championTolerance()).isEqualTo(0.02);
    assertThat(result.manifest().latency().p99MsMax()).isEqualTo(5.0);
  }

  @Test
  void aFixedHoldoutWithOtherColumnsIsRefusedNamingThem() throws Exception {
    Path other = csv("other.csv", "user_age,colour,clicked\n30,red,1\n");

    assertThatThrownBy(() -> new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withHoldoutFile(other).withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class).hasMessageContaining("has columns [user_age, colour, clicked]");
  }

  @Test
  void aMissingLabelColumnIsNamedWithTheColumnsThereAre() throws Exception {
    Path data = csv("d.csv", lines("a,b,y", 50, i -> i + "," + (i * 2) + "," + (i % 2)));

    assertThatThrownBy(() -> new Trainer(line -> { }).train(data, "label", "m",
        TrainingOptions.defaults().withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("has no label column 'label' (columns: a, b, y)");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aNonNumericValueIsNamedByLineAndColumn() throws Exception {
    Path data = csv("d.csv", lines("a,price,y", 50, i -> i + "," + (i == 3 ? "cheap" : "1.5") + "," + (i % 2)));

    assertThatThrownBy(() -> new Trainer(line -> { }).train(data, "y", "m",
        TrainingOptions.defaults().withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageEndingWith("line 5, column 'price': 'cheap' is not a number");
  }

  @Test
  void tooFewRowsSaysHowManyThereAreAndHowManyAreNeeded() throws Exception {
    Path data = csv("d.csv", lines("a,y", 12, i -> i + "," + (i % 2)));

    assertThatThrownBy(() -> new Trainer(line -> { }).train(data, "y", "m",
        TrainingOptions.defaults().withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class)
        .hasMessageContaining("too few rows").hasMessageContaining("has 12").hasMessageContaining("at least 10 and 5");
  }

  @Test
  void aSingleClassCannotTrainAClassifier() throws Exception {
    Path data = csv("d.csv", lines("a,y", 50, i -> i + ",yes"));

    assertThatThrownBy(() -> new Trainer(line -> { }).train(data, "y", "m",
        TrainingOptions.defaults().withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class).hasMessageContaining("has a single class [yes] in 50 rows");
  }

  @Test
  void aRegressionLabelMustBeNumeric() throws Exception {
    Path data = csv("d.csv", lines("a,y", 50, i -> i + "," + (i == 7 ? "high" : "2.0")));

    assertThatThrownBy(() -> new Trainer(line -> { }).train(data, "y", "m",
        TrainingOptions.defaults().withTask(ModelManifest.Task.REGRESSION).withOutput(dir.resolve("out"))))
        .isInstanceOf(InvalidDataException.class).hasMessageEndingWith("line 9, column 'y': 'high' is not a number");
  }

  @Test
  void refusesToOverwriteAFolderWithFilesAndLeavesItUntouched() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    Files.writeString(out.resolve("notes.txt"), "mine");

    assertThatThrownBy(() -> new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withOutput(out))).isInstanceOf(FileAlreadyExistsException.class);
    try (Stream<Path> entries = Files.list(out)) {
      assertThat(entries).extracting(p -> p.getFileName().toString()).containsExactly("notes.txt");
    }
  }

  @Test
  void writesIntoAnEmptyFolder() throws Exception {
    Path out = Files.createDirectories(dir.resolve("empty"));

    TrainingResult result = new Trainer(line -> { }).train(clicksCsv, "clicked", "clicks",
        TrainingOptions.defaults().withEpochs(1).withOutput(out));

    assertThat(result.pkg().directory()).isEqualTo(out);
    assertThat(out.resolve("model.onnx")).isRegularFile();
  }

  @Test
  void refusesAModelNameTheRegistryWouldRefuse() {
    assertThatThrownBy(() -> new Trainer(line -> { }).train(clicksCsv, "clicked", "../up", TrainingOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid model name");
  }

  @Test
  void optionsRefuseAHoldoutFractionOutsideZeroToOne() {
    assertThatThrownBy(() -> TrainingOptions.defaults().withHoldoutFraction(1.0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("above 0 and below 1");
    assertThatThrownBy(() -> TrainingOptions.defaults().withEpochs(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
