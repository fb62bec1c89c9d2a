package dev.modelship.controller.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeDistributionTest {
  @TempDir
  Path dir;

  /** A thin jar as Maven writes it, and the jars its Class-Path names. */
  private static Path distribution(Path folder, String... classPath) throws IOException {
    Files.createDirectories(folder.resolve("lib"));
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, "9.9.9");
    try (OutputStream out = Files.newOutputStream(folder.resolve("serving-runtime.jar"));
         JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    for (String entry : classPath) {
      Files.writeString(folder.resolve(entry), "jar " + entry);
    }
    return folder;
  }

  @Test
  void takesExactlyTheJarsTheManifestNamesNotStrayFiles() throws Exception {
    Path folder = distribution(dir.resolve("target"), "lib/javalin.jar", "lib/onnxruntime-1.23.2.jar");
    Files.writeString(folder.resolve("lib/stale-old.jar"), "left from an earlier build");

    RuntimeDistribution runtime = RuntimeDistribution.at(folder);

    assertThat(runtime.dependencyPaths()).containsExactly("lib/javalin.jar", "lib/onnxruntime-1.23.2.jar");
    assertThat(runtime.jar()).isEqualTo(folder.resolve("serving-runtime.jar"));
    assertThat(runtime.version()).isEqualTo("9.9.9");
    assertThat(runtime.ortBuild()).isEqualTo(RuntimeDistribution.OrtBuild.CPU);
  }

  @Test
  void tellsTheGpuBuildByItsOnnxRuntimeJar() throws Exception {
    Path folder = distribution(dir.resolve("gpu"), "lib/onnxruntime_gpu-1.23.2.jar");

    assertThat(RuntimeDistribution.at(folder).ortBuild()).isEqualTo(RuntimeDistribution.OrtBuild.GPU);
  }

  @Test
  void aMissingJarOrDependencyIsNamed() throws Exception {
    assertThatThrownBy(() -> RuntimeDistribution.at(dir)).hasMessageContaining("serving-runtime.jar is missing");
    Path folder = distribution(dir.resolve("broken"), "lib/a.jar", "lib/onnxruntime-1.23.2.jar");
    Files.delete(folder.resolve("lib/a.jar"));

    assertThatThrownBy(() -> RuntimeDistribution.at(folder)).isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("is incomplete").hasMessageContaining("lib/a.jar");
  }

  @Test
  void aClassPathLeavingTheFolderIsRefused() throws Exception {
    Files.writeString(dir.resolve("outside.jar"), "x");
    Path folder = distribution(dir.resolve("escape"), "lib/onnxruntime-1.23.2.jar");
    distribution(folder, "../outside.jar");

    assertThatThrownBy(() -> RuntimeDistribution.at(folder)).hasMessageContaining("../outside.jar");
  }

  @Test
  void theEnvironmentVariableWinsThenTheFolderAboveTheControllerThenTheWorkingDirectory() throws Exception {
    Path configured = distribution(dir.resolve("configured"), "lib/onnxruntime-1.23.2.jar");
    Path repository = dir.resolve("repo");
    Path inRepository = distribution(repository.resolve("serving-runtime/target"), "lib/onnxruntime-1.23.2.jar");
    Path controllerJar = repository.resolve("pipeline-controller/target/modelship.jar");
    Path working = dir.resolve("work");
    Path inWorking = distribution(working.resolve("serving-runtime/target"), "lib/onnxruntime-1.23.2.jar");

    assertThat(RuntimeDistribution.locate(Map.of(RuntimeDistribution.DIR_ENV, configured.toString()), working,
        Optional.of(controllerJar)).directory()).isEqualTo(configured);
    assertThat(RuntimeDistribution.locate(Map.of(), working, Optional.of(controllerJar)).directory())
        .isEqualTo(inRepository);
    assertThat(RuntimeDistribution.locate(Map.of(), working, Optional.empty()).directory()).isEqualTo(inWorking);
  }

  @Test
  void notFoundAnywhereSaysWhereItLookedAndWhatToSet() {
    assertThatThrownBy(() -> RuntimeDistribution.locate(Map.of(), dir.resolve("work"),
        Optional.of(dir.resolve("app/modelship.jar"))))
        .isInstanceOf(ImageBuildException.class)
        .hasMessageContaining("set MODELSHIP_RUNTIME_DIR")
        .hasMessageContaining(dir.resolve("work/serving-runtime/target").toString())
        .hasMessageContaining(dir.resolve("serving-runtime/target").toString());
    assertThatThrownBy(() -> RuntimeDistribution.locate(Map.of(RuntimeDistribution.DIR_ENV, dir.resolve("x")
        .toString()), dir, Optional.empty())).hasMessageContaining("no serving runtime in " + dir.resolve("x"));
  }
}
