package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.registry.ModelManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingModelConfigTest {
  @TempDir
  Path dir;

  private static ModelManifest manifest(Map<String, Object> serving) {
    return new ModelManifest("clicks", ModelManifest.Task.CLASSIFICATION, List.of("input"), List.of("output"), null,
        List.of(), List.of(), null, null, null, serving, Map.of());
  }

  @Test
  void theServingBlockBecomesModelYamlWithSortedKeys() throws Exception {
    Path file = ServingModelConfig.write(manifest(Map.of("max_batch_size", 32, "instance_count", 2,
        "dynamic_batching", Map.of("max_queue_size", 100, "max_queue_delay_microseconds", 50))), dir).orElseThrow();

    assertThat(Files.readString(file)).isEqualTo("dynamic_batching:\n  max_queue_delay_microseconds: 50\n"
        + "  max_queue_size: 100\ninstance_count: 2\nmax_batch_size: 32\n");
  }

  @Test
  void noServingBlockMeansNoFile() throws Exception {
    assertThat(ServingModelConfig.write(manifest(Map.of()), dir)).isEmpty();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aBlockTheRuntimeWouldRejectFailsTheBuild() {
    assertThatThrownBy(() -> ServingModelConfig.write(manifest(Map.of("max_batch_sise", 8)), dir))
        .isInstanceOfSatisfying(ImageBuildException.class, e -> assertThat(e.kind())
            .isEqualTo(ImageBuildException.Kind.INVALID))
        .hasMessageContaining("not a valid serving model.yaml").hasMessageContaining("max_batch_sise");
    assertThatThrownBy(() -> ServingModelConfig.write(manifest(Map.of("instance_count", 0)), dir))
        .hasMessageContaining("instance_count");
    assertThatThrownBy(() -> ServingModelConfig.write(manifest(Map.of("version_policy", "all")), dir))
        .hasMessageContaining("version_policy").hasMessageContaining("exactly one version");
  }
}
