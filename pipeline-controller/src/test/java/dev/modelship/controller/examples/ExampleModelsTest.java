package dev.modelship.controller.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import dev.modelship.serving.model.DeviceSpec;
import dev.modelship.serving.model.LoadedModel;
import dev.modelship.serving.model.ModelLoader;
import dev.modelship.serving.model.ModelRepository;
import dev.modelship.serving.model.TensorSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleModelsTest {
  private static final long SEED = 42;

  @TempDir
  static Path sharedDir;
  static Path repository;
  static ClickModel clickModel;

  @TempDir
  Path dir;

  /** Training takes about a second; every test reads the same trained model. */
  @BeforeAll
  static void trainOnce() throws IOException {
    repository = sharedDir.resolve("models");
    clickModel = ExampleModels.writeClickModel(repository, "clicks", 1, SEED, 5000);
  }

  private static Path clickFile() {
    return ExampleModels.modelFile(repository, "clicks", 1);
  }

  @Test
  void clickModelTakesABatchOfEightFeaturesAndAnswersTwoProbabilitiesPerRow() throws Exception {
    try (OrtProbe probe = new OrtProbe(clickFile())) {
      assertThat(probe.inputShapes()).containsOnlyKeys("input");
      assertThat(probe.inputShapes().get("input")).containsExactly(-1, 8);
      assertThat(probe.outputShapes()).containsOnlyKeys("output");
      assertThat(probe.outputShapes().get("output")).containsExactly(-1, 2);

      List<ClickData.Row> rows = ClickData.holdout(SEED, 5);
      float[][] probabilities = probe.run("input", "output",
          rows.stream().map(clickModel::inputRow).toArray(float[][]::new));
      assertThat(probabilities).hasNumberOfRows(5);
      for (float[] row : probabilities) {
        assertThat(row).hasSize(2);
        assertThat(row[0] + row[1]).isCloseTo(1f, within(1e-5f));
        assertThat(row[0]).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void clickModelRecordsItsFeatureAndLabelOrderInTheOnnxFile() throws IOException {
    assertThat(clickModel.featureOrder()).isEqualTo(ClickData.FEATURES.stream().sorted().toList());
    assertThat(clickModel.labelOrder()).containsExactlyInAnyOrder("0", "1");
    assertThat(ClickModel.read(clickFile())).isEqualTo(clickModel);
  }

  @Test
  void inputRowPutsEachFeatureInTheModelsColumn() {
    ClickData.Row row = new ClickData.Row(30, 2, 0.05, 19.99, 0.1, 0.7, 3, 21, true);
    float[] input = clickModel.inputRow(row);

    for (int column = 0; column < input.length; column++) {
      assertThat(input[column]).isEqualTo((float) row.feature(clickModel.featureOrder().get(column)));
    }
  }

  @Test
  void clickModelBeatsTheMajorityBaselineOnHeldOutRows() throws IOException {
    ClickModelEvaluation evaluation = ClickModelEvaluation.evaluate(OrtEnvironment.getEnvironment(), clickFile(),
        clickModel, ClickData.holdout(SEED, 4000));

    assertThat(evaluation.accuracy()).isGreaterThan(evaluation.majorityBaseline() + 0.04);
    assertThat(evaluation.auc()).isGreaterThan(0.72);
  }

  @Test
  void clickModelTrainedBeforeDriftLosesMostOfItsEdgeOnDriftedData() throws IOException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    ClickModelEvaluation before = ClickModelEvaluation.evaluate(env, clickFile(), clickModel,
        ClickData.generate(99, 5000, 0));
    ClickModelEvaluation after = ClickModelEvaluation.evaluate(env, clickFile(), clickModel,
        ClickData.generate(99, 5000, 1));

    double edgeBefore = before.accuracy() - before.majorityBaseline();
    double edgeAfter = after.accuracy() - after.majorityBaseline();
    assertThat(edgeAfter).isLessThan(edgeBefore / 2);
    assertThat(after.auc()).isLessThan(before.auc());
  }

  @Test
  void servingRuntimeLoadsBothExampleModelsFromTheRepository() throws Exception {
    Path models = dir.resolve("models");
    ExampleModels.writeClickModel(models, "clicks", 1, SEED, 1000);
    ExampleModels.writeRepository(models, "mlp", 3, file -> ExampleModels.writeMlp(file, 16, 8, 2, 3, 1));

    List<ModelRepository.ModelSource> sources = new ModelRepository(models).scan();
    assertThat(sources).extracting(ModelRepository.ModelSource::name, ModelRepository.ModelSource::version)
        .containsExactly(tuple("clicks", 1L),
            tuple("mlp", 3L));
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(),
        new ModelLoader.Defaults(DeviceSpec.cpu(), 1));
    try (LoadedModel clicks = loader.load(sources.get(0)); LoadedModel mlp = loader.load(sources.get(1))) {
      assertThat(clicks.inputs()).extracting(TensorSpec::toString).containsExactly("input:FP32[-1, 8]");
      assertThat(clicks.outputs()).extracting(TensorSpec::toString).containsExactly("output:FP32[-1, 2]");
      assertThat(clicks.batched()).isTrue();
      assertThat(mlp.inputs()).extracting(TensorSpec::toString).containsExactly("input:FP32[-1, 16]");
      assertThat(mlp.outputs()).extracting(TensorSpec::toString).containsExactly("output:FP32[-1, 3]");
    }
  }

  @Test
  void writeRepositoryLeavesNoFileBehindWhenTheWriterFails() throws IOException {
    assertThatThrownBy(() -> ExampleModels.writeRepository(dir, "broken", 1, file -> {
      Files.write(file, new byte[] {1, 2, 3});
      throw new IOException("disk full");
    })).hasMessage("disk full");

    try (Stream<Path> left = Files.list(dir.resolve("broken/1"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void writeRepositoryReplacesAnEarlierFileOfTheSameVersion() throws IOException {
    Path first = ExampleModels.writeRepository(dir, "mlp", 1, file -> ExampleModels.writeMlp(file, 4, 4, 1, 2, 1));
    long firstSize = Files.size(first);
    Path second = ExampleModels.writeRepository(dir, "mlp", 1, file -> ExampleModels.writeMlp(file, 8, 4, 1, 2, 1));

    assertThat(second).isEqualTo(dir.resolve("mlp/1/model.onnx"));
    assertThat(Files.size(second)).isGreaterThan(firstSize);
  }

  @Test
  void rejectsModelNamesTheServingRuntimeWouldRefuse() {
    assertThatThrownBy(() -> ExampleModels.modelFile(dir, "../escape", 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid model name");
    assertThatThrownBy(() -> ExampleModels.modelFile(dir, "clicks", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesToTrainOnRowsWithoutBothLabels() {
    List<ClickData.Row> onlyClicks = ClickData.generate(1, 500, 0).stream().filter(ClickData.Row::clicked).toList();

    assertThatThrownBy(() -> ExampleModels.trainClickModel(onlyClicks, 1, dir.resolve("m.onnx")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both clicks and non-clicks");
  }

  @Test
  void readingAFileWithoutTheRecordedOrdersSaysWhatIsMissing() throws IOException {
    Path mlp = dir.resolve("mlp.onnx");
    ExampleModels.writeMlp(mlp, 8, 4, 1, 2, 1);

    assertThatThrownBy(() -> ClickModel.read(mlp)).isInstanceOf(IOException.class)
        .hasMessageContaining(ClickModel.FEATURES_KEY);
  }
}
