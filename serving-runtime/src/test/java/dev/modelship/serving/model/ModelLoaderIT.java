package dev.modelship.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import dev.modelship.serving.testing.OnnxGraph;
import dev.modelship.serving.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading with real ONNX Runtime: signatures, batching decisions, devices, and models that cannot be served. */
class ModelLoaderIT {
  @TempDir
  Path repo;

  private LoadedModel loadOnly(DeviceSpec device) throws Exception {
    ModelLoader loader = new ModelLoader(OrtEnvironment.getEnvironment(), new ModelLoader.Defaults(device, 1));
    return loader.load(new ModelRepository(repo).scan().get(0));
  }

  @Test
  void derivesSignatureDigestAndBatchingFromTheGraph() throws Exception {
    Path file = TestModels.mlp(repo, "mlp", 1, 8, 4, 1, 3, 1);
    try (LoadedModel model = loadOnly(DeviceSpec.cpu())) {
      assertThat(model.inputs()).containsExactly(new TensorSpec("input", Datatype.FP32, new long[] {-1, 8}));
      assertThat(model.outputs()).containsExactly(new TensorSpec("output", Datatype.FP32, new long[] {-1, 3}));
      assertThat(model.maxBatchSize()).isEqualTo(ModelConfig.DEFAULT_MAX_BATCH_SIZE);
      assertThat(model.device()).isEqualTo("cpu");
      assertThat(model.sha256()).isEqualTo(
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    }
  }

  @Test
  void autoFallsBackToCpuWhenThisBuildHasNoCuda() throws Exception {
    TestModels.fixedBatch(repo, "fixed");
    try (LoadedModel model = loadOnly(DeviceSpec.auto())) {
      assertThat(model.device()).isEqualTo(
          OrtEnvironment.getEnvironment().getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)
              ? "cuda:0" : "cpu");
      assertThat(model.batched()).isFalse();
    }
  }

  @Test
  void explicitCudaOnACpuBuildIsAClearErrorAndLoadsOnCudaWhereTheBuildHasIt() throws Exception {
    TestModels.fixedBatch(repo, "fixed");
    if (OrtEnvironment.getEnvironment().getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
      // the -Pgpu build on a machine with a GPU
      try (LoadedModel model = loadOnly(DeviceSpec.parse("cuda:0").orElseThrow())) {
        assertThat(model.device()).isEqualTo("cuda:0");
      }
      return;
    }
    // the CPU build (the default, and what CI runs)
    assertThatThrownBy(() -> loadOnly(DeviceSpec.parse("cuda:0").orElseThrow()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("model 'fixed' version 1: device cuda:0 requested")
        .hasMessageContaining("-Pgpu");
  }

  @Test
  void aCorruptModelFileIsNamedInTheError() throws Exception {
    Files.write(TestModels.versionDir(repo, "broken", 4).resolve("model.onnx"), new byte[] {8, 1, 2, 3, 42});
    assertThatThrownBy(() -> loadOnly(DeviceSpec.cpu()))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("model 'broken' version 4: ONNX Runtime cannot load it");
  }

  @Test
  void tensorTypesTheServerCannotServeAreNamed() throws Exception {
    new OnnxGraph().input("text", DataType.STRING, OnnxGraph.DYNAMIC).output("same", DataType.STRING, OnnxGraph.DYNAMIC)
        .node("Identity", "text", "same")
        .writeTo(TestModels.versionDir(repo, "strings", 1).resolve("model.onnx"));
    assertThatThrownBy(() -> loadOnly(DeviceSpec.cpu()))
        .hasMessageContaining("input 'text' has element type")
        .hasMessageContaining("STRING");
  }

  @Test
  void batchingAModelWithAFixedBatchDimensionIsRefused() throws Exception {
    TestModels.fixedBatch(repo, "fixed");
    Files.writeString(repo.resolve("fixed/model.yaml"), "max_batch_size: 8\n");
    assertThatThrownBy(() -> loadOnly(DeviceSpec.cpu()))
        .hasMessageContaining("max_batch_size 8 but not every input and output has a dynamic first dimension")
        .hasMessageContaining("set max_batch_size: 0");
  }

  @Test
  void maxBatchSizeZeroServesABatchableModelUnbatched() throws Exception {
    TestModels.logarithm(repo, "log");
    Files.writeString(repo.resolve("log/model.yaml"), "max_batch_size: 0\n");
    try (LoadedModel model = loadOnly(DeviceSpec.cpu())) {
      assertThat(model.batched()).isFalse();
      assertThat(model.batchPolicy().batching()).isFalse();
    }
  }
}
