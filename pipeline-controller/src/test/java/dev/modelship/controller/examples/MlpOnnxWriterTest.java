package dev.modelship.controller.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlpOnnxWriterTest {
  @TempDir
  Path dir;

  @Test
  void takesAnyBatchSizeAndAnswersSoftmaxRowsThatSumToOne() throws Exception {
    Path file = dir.resolve("mlp.onnx");
    ExampleModels.writeMlp(file, 12, 16, 2, 4, 7);

    try (OrtProbe probe = new OrtProbe(file)) {
      assertThat(probe.inputShapes()).containsOnlyKeys("input");
      assertThat(probe.inputShapes().get("input")).containsExactly(-1, 12);
      assertThat(probe.outputShapes()).containsOnlyKeys("output");
      assertThat(probe.outputShapes().get("output")).containsExactly(-1, 4);
      for (int batch : new int[] {1, 5}) {
        float[][] rows = new float[batch][];
        for (int r = 0; r < batch; r++) {
          rows[r] = InferenceRequests.randomRow(r, 12);
        }
        float[][] output = probe.run("input", "output", rows);
        assertThat(output).hasNumberOfRows(batch);
        for (float[] row : output) {
          float sum = 0;
          for (float p : row) {
            assertThat(p).isBetween(0f, 1f);
            sum += p;
          }
          assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
      }
    }
  }

  @Test
  void differentInputsGetDifferentOutputs() throws Exception {
    Path file = dir.resolve("mlp.onnx");
    ExampleModels.writeMlp(file, 12, 16, 1, 2, 7);

    try (OrtProbe probe = new OrtProbe(file)) {
      float[][] output = probe.run("input", "output",
          new float[][] {InferenceRequests.randomRow(1, 12), InferenceRequests.randomRow(2, 12)});
      assertThat(output[0][0]).isNotEqualTo(output[1][0]);
    }
  }

  @Test
  void sameSeedWritesAByteIdenticalFileAndAnotherSeedDoesNot() throws IOException {
    ExampleModels.writeMlp(dir.resolve("a.onnx"), 20, 10, 2, 3, 5);
    ExampleModels.writeMlp(dir.resolve("b.onnx"), 20, 10, 2, 3, 5);
    ExampleModels.writeMlp(dir.resolve("c.onnx"), 20, 10, 2, 3, 6);

    byte[] first = Files.readAllBytes(dir.resolve("a.onnx"));
    assertThat(Files.readAllBytes(dir.resolve("b.onnx"))).isEqualTo(first);
    assertThat(Files.readAllBytes(dir.resolve("c.onnx"))).isNotEqualTo(first);
  }

  @Test
  void writesOpset17IrVersion8WithASymbolicBatchDimensionAndLittleEndianRawWeights() throws IOException {
    Path file = dir.resolve("mlp.onnx");
    ExampleModels.writeMlp(file, 6, 5, 2, 2, 3);

    OnnxMl.ModelProto model;
    try (InputStream in = Files.newInputStream(file)) {
      model = OnnxMl.ModelProto.parseFrom(in);
    }
    assertThat(model.getIrVersion()).isEqualTo(8);
    assertThat(model.getOpsetImportList()).singleElement()
        .satisfies(opset -> {
          assertThat(opset.getDomain()).isEmpty();
          assertThat(opset.getVersion()).isEqualTo(17);
        });
    OnnxMl.GraphProto graph = model.getGraph();
    assertThat(graph.getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("batch");
    assertThat(graph.getNodeList()).extracting(OnnxMl.NodeProto::getOpType)
        .containsExactly("Gemm", "Relu", "Gemm", "Relu", "Gemm", "Softmax");
    assertThat(graph.getInitializerList()).extracting(tensor -> tensor.getDimsList().toString())
        .containsExactly("[6, 5]", "[5]", "[5, 5]", "[5]", "[5, 2]", "[2]");
    assertThat(graph.getInitializerList()).allSatisfy(tensor -> {
      long elements = tensor.getDimsList().stream().reduce(1L, (a, b) -> a * b);
      assertThat(tensor.getRawData().size()).isEqualTo(elements * Float.BYTES);
      assertThat(tensor.getFloatDataCount()).isZero();
    });
  }

  @Test
  void withoutHiddenLayersItIsASoftmaxRegression() throws Exception {
    Path file = dir.resolve("linear.onnx");
    ExampleModels.writeMlp(file, 3, 100, 0, 2, 1);

    try (OrtProbe probe = new OrtProbe(file)) {
      assertThat(probe.run("input", "output", new float[][] {{1, 2, 3}})[0]).hasSize(2);
    }
  }

  /** The size the serving benchmarks use: 512 features, two hidden layers of 2048, 2 classes. */
  @Test
  void benchmarkSizedModelIsAbout21MegabytesAndRuns() throws Exception {
    Path file = dir.resolve("bench.onnx");
    ExampleModels.writeMlp(file, 512, 2048, 2, 2, 1);

    long weights = 512L * 2048 + 2048 + 2048L * 2048 + 2048 + 2048L * 2 + 2;
    assertThat(Files.size(file)).isBetween(weights * 4, weights * 4 + 4096);
    try (OrtProbe probe = new OrtProbe(file)) {
      float[] probabilities = probe.run("input", "output", new float[][] {InferenceRequests.randomRow(1, 512)})[0];
      assertThat(probabilities[0] + probabilities[1]).isCloseTo(1f, within(1e-5f));
    }
  }

  @Test
  void rejectsShapesThatMakeNoModel() {
    assertThatThrownBy(() -> new MlpOnnxWriter(0, 4, 1, 2, 1)).hasMessageContaining("features");
    assertThatThrownBy(() -> new MlpOnnxWriter(4, 4, 1, 1, 1)).hasMessageContaining("classes");
    assertThatThrownBy(() -> new MlpOnnxWriter(4, 4, -1, 2, 1)).hasMessageContaining("hiddenLayers");
    assertThatThrownBy(() -> new MlpOnnxWriter(100_000, 100_000, 1, 2, 1)).hasMessageContaining("larger");
  }
}
