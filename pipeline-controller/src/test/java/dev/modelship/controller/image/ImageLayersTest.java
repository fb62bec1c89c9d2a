package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLayersTest {
  @TempDir
  Path dir;

  @Test
  void dependenciesThenRuntimeThenModelEachFileRootOwnedReadOnlyAndUndated() throws Exception {
    Path lib = Files.createDirectories(dir.resolve("lib"));
    Path a = Files.writeString(lib.resolve("a.jar"), "a");
    Path ort = Files.writeString(lib.resolve("onnxruntime-1.23.2.jar"), "o");
    RuntimeDistribution runtime = new RuntimeDistribution(dir, List.of(a, ort), "1");
    Path model = Files.writeString(dir.resolve("model.onnx"), "m");
    Path yaml = Files.writeString(dir.resolve("model.yaml"), "max_batch_size: 1\n");

    List<FileEntriesLayer> layers = ImageLayers.of(runtime, model, Optional.of(yaml), "/models/clicks/3");

    assertThat(layers).extracting(FileEntriesLayer::getName).containsExactly("dependencies", "runtime", "model");
    assertThat(targets(layers.get(0))).containsExactly("/app/lib/a.jar", "/app/lib/onnxruntime-1.23.2.jar");
    assertThat(targets(layers.get(1))).containsExactly("/app/serving-runtime.jar");
    assertThat(targets(layers.get(2))).containsExactly("/models/clicks/3/model.onnx", "/models/clicks/3/model.yaml");
    assertThat(layers.get(2).getEntries().get(0).getSourceFile()).isEqualTo(model);
    for (FileEntriesLayer layer : layers) {
      for (FileEntry entry : layer.getEntries()) {
        assertThat(entry.getOwnership()).isEqualTo("0:0");
        assertThat(entry.getPermissions().toOctalString()).isEqualTo("644");
        assertThat(entry.getModificationTime()).isEqualTo(Instant.ofEpochSecond(1));
      }
    }
  }

  @Test
  void withoutAServingConfigTheModelLayerHoldsTheModelAlone() throws Exception {
    Path model = Files.writeString(dir.resolve("model.onnx"), "m");

    List<FileEntriesLayer> layers = ImageLayers.of(new RuntimeDistribution(dir, List.of(), "1"), model,
        Optional.empty(), "/models/m/1");

    assertThat(targets(layers.get(2))).containsExactly("/models/m/1/model.onnx");
  }

  private static List<String> targets(FileEntriesLayer layer) {
    return layer.getEntries().stream().map(entry -> entry.getExtractionPath().toString()).toList();
  }
}
