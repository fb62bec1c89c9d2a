package dev.modelship.controller.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.examples.ExampleModels;
import dev.modelship.controller.examples.MlpOnnxWriter;
import dev.modelship.controller.registry.ModelPackage;
import dev.modelship.controller.registry.RegistryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Model packages for registry tests: a real (small) ONNX graph, its modelship.yaml and a holdout. */
final class TestPackages {
  private TestPackages() {
  }

  /** {@code seed} changes the weights, so two seeds give two packages with different digests. */
  static ModelPackage write(Path folder, String name, long seed) throws IOException, RegistryException {
    Files.createDirectories(folder);
    ExampleModels.writeMlp(folder.resolve(ModelPackage.MODEL_FILE), 3, 8, 1, 2, seed);
    Files.writeString(folder.resolve(ModelPackage.MANIFEST_FILE), "name: " + name + "\n"
        + "task: classification\n"
        + "inputs: [" + MlpOnnxWriter.INPUT + "]\n"
        + "outputs: [" + MlpOnnxWriter.OUTPUT + "]\n"
        + "label: clicked\n"
        + "features: [a, b, c]\n"
        + "classes: [\"0\", \"1\"]\n");
    Files.writeString(folder.resolve(ModelPackage.HOLDOUT_FILE), "a,b,c,clicked\n0.1,0.2,0.3,1\n0.4,0.5,0.6,0\n");
    return ModelPackage.fromDirectory(folder);
  }

  static void assertSameFiles(Path actual, Path expected) throws IOException {
    try (Stream<Path> files = Files.list(expected)) {
      for (Path file : files.toList()) {
        assertThat(actual.resolve(file.getFileName().toString())).as(file.getFileName().toString())
            .hasBinaryContent(Files.readAllBytes(file));
      }
    }
    assertThat(contentsOf(actual)).containsExactlyElementsOf(contentsOf(expected));
  }

  /** For {@code isInstanceOfSatisfying}: the failure is of {@code expected} kind; the message shows if not. */
  static java.util.function.Consumer<RegistryException> kind(RegistryException.Kind expected) {
    return failure -> assertThat(failure.kind()).as(failure.getMessage()).isEqualTo(expected);
  }

  /** Everything under {@code folder}, relative; empty when there is nothing (or no folder). */
  static java.util.List<String> contentsOf(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return java.util.List.of();
    }
    try (Stream<Path> entries = Files.walk(folder)) {
      return entries.filter(entry -> !entry.equals(folder)).map(entry -> folder.relativize(entry).toString())
          .sorted().toList();
    }
  }
}
