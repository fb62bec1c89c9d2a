package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.examples.ClickData;
import dev.modelship.controller.registry.ModelManifest;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.ModelVersionRef;
import dev.modelship.controller.training.PackagePusher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
  @TempDir
  Path dir;
  Path csv;
  ModelshipHome home;
  final List<ModelPackage> pushed = new ArrayList<>();
  final PackagePusher registry = pkg -> {
    pushed.add(pkg);
    return new ModelVersionRef("clicks", 4);
  };

  @BeforeEach
  void data() throws Exception {
    csv = dir.resolve("clicks.csv");
    ClickData.writeCsv(csv, ClickData.generate(3, 400, 0));
    home = new ModelshipHome(dir.resolve("home"));
  }

  @Test
  void trainsIntoTheGivenFolderAndSaysWhatItMeasured() throws Exception {
    Path out = dir.resolve("pkg");

    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "clicked", "--name", "clicks", "--out", out.toString(), "--seed", "5", "--holdout-fraction", "0.25",
        "--epochs", "3");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // A quarter of each class is held out, rounded per class: 101 of 400 rows.
    assertThat(run.out()).contains("model package: " + out).contains("holdout metrics (101 rows): accuracy=")
        .contains("digest: " + ModelPackage.fromDirectory(out).digest());
    assertThat(run.err()).contains("training a logistic regression on 299 rows (3 epochs, seed 5)");
    assertThat(ModelManifest.read(out.resolve("modelship.yaml")).name()).isEqualTo("clicks");
  }

  @Test
  void withoutOutPutsThePackageUnderTheHomeByDataName() throws Exception {
    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "clicked", "--name", "clicks", "--epochs", "2");

    Path expected = TrainCommand.defaultPackageDir(home, "clicks", csv);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(expected.getParent()).isEqualTo(home.root().resolve("trained/clicks"));
    assertThat(expected.getFileName().toString()).matches("clicks-[0-9a-f]{12}");
    assertThat(expected.resolve("model.onnx")).isRegularFile();
  }

  @Test
  void pushPublishesTheTrainedPackageThroughTheHook() throws Exception {
    Path out = dir.resolve("pkg");

    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.of(registry)), "--data", csv.toString(),
        "--label", "clicked", "--name", "clicks", "--out", out.toString(), "--epochs", "2", "--push");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("pushed as clicks:4");
    assertThat(pushed).singleElement().extracting(ModelPackage::directory).isEqualTo(out);
  }

  @Test
  void pushWithoutARegistryIsAUsageErrorAndTrainsNothing() {
    Path out = dir.resolve("pkg");

    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "clicked", "--name", "clicks", "--out", out.toString(), "--push");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: --push needs a model registry");
    assertThat(out).doesNotExist();
  }

  @Test
  void aMissingLabelColumnFailsWithTheColumnsThereAre() {
    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "click", "--name", "clicks", "--out", dir.resolve("pkg").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("error: ").contains("has no label column 'click' (columns: user_age,");
  }

  @Test
  void rejectsAnUnknownTaskAndABadHoldoutFraction() {
    CommandRun task = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "clicked", "--name", "clicks", "--task", "clustering");
    CommandRun fraction = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(),
        "--label", "clicked", "--name", "clicks", "--holdout-fraction", "1.5");

    assertThat(task.exitCode()).isEqualTo(2);
    assertThat(task.err()).contains("--task must be classification or regression, got 'clustering'");
    assertThat(fraction.exitCode()).isEqualTo(2);
    assertThat(fraction.err()).contains("--holdout-fraction must be above 0 and below 1");
  }

  @Test
  void barsFromTakesThresholdsFromAnotherManifest() throws Exception {
    Path bars = Files.writeString(dir.resolve("bars.yaml"), "name: clicks\ntask: classification\n"
        + "inputs: [input]\noutputs: [output]\nthresholds: {accuracy_min: 0.5}\nlatency: {p99_ms_max: 20}\n");
    Path out = dir.resolve("pkg");

    CommandRun run = CommandRun.of(new TrainCommand(home, Optional.empty()), "--data", csv.toString(), "--label",
        "clicked", "--name", "clicks", "--out", out.toString(), "--epochs", "2", "--bars-from", bars.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    ModelManifest manifest = ModelManifest.read(out.resolve("modelship.yaml"));
    assertThat(manifest.thresholds()).isEqualTo(new ModelManifest.Thresholds(0.5, null, null, null, null));
    assertThat(manifest.latency().p99MsMax()).isEqualTo(20.0);
  }
}
