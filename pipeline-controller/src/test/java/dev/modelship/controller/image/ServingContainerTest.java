package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServingContainerTest {
  @TempDir
  Path dir;

  @Test
  void runsTheRuntimeJarOnTheModelsFolderWithContainerAwareHeap() throws Exception {
    ImageRequest request = ImagePackages.request(dir, "clicks", 3, ImageTarget.parse("registry:5000/serving"), "b:1");
    RuntimeDistribution runtime = new RuntimeDistribution(dir, List.of(), "1.2.3");

    ServingContainer container = ServingContainer.of(request, runtime, "ab12", "b:1");

    assertThat(container.entrypoint()).containsExactly("java", "-XX:+UseContainerSupport",
        "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/serving-runtime.jar",
        "--model-repository", "/models");
    assertThat(container.user()).isEqualTo("65532:65532");
    assertThat(container.workingDirectory()).isEqualTo("/app");
    assertThat(container.port()).isEqualTo(8080);
    assertThat(ServingContainer.modelDirectory(request)).isEqualTo("/models/clicks/3");
  }

  @Test
  void labelsNameTheModelVersionItsDigestsAndAFixedCreationTime() throws Exception {
    ImageRequest request = ImagePackages.request(dir, "clicks", 3, ImageTarget.parse("registry:5000/serving"), "b:1")
        .withGpu(true);

    Map<String, String> labels = ServingContainer.of(request, new RuntimeDistribution(dir, List.of(), "1.2.3"),
        "ab12", "b:1").labels();

    assertThat(labels).containsExactly(
        Map.entry("dev.modelship.model.name", "clicks"),
        Map.entry("dev.modelship.model.sha256", "ab12"),
        Map.entry("dev.modelship.model.version", "3"),
        Map.entry("dev.modelship.runtime.device", "cuda"),
        Map.entry("dev.modelship.runtime.version", "1.2.3"),
        Map.entry("org.opencontainers.image.base.name", "b:1"),
        Map.entry("org.opencontainers.image.created", "2025-05-20T10:15:33Z"),
        Map.entry("org.opencontainers.image.revision", request.pkg().digest()),
        Map.entry("org.opencontainers.image.source", "oci://models.example/models"),
        Map.entry("org.opencontainers.image.title", "clicks"),
        Map.entry("org.opencontainers.image.version", "3"));
  }
}
