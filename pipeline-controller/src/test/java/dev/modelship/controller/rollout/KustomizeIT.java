package dev.modelship.controller.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.rollout.kustomize.BuiltInKustomize;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding and running Kustomize: the real {@code kubectl kustomize} for renders (kubectl is installed where the
 * tests run; without it the render tests fail, they do not skip), small scripts standing in for the tools where
 * the test is about which one is chosen.
 */
class KustomizeIT {
  @TempDir
  Path folder;

  @Test
  void withNeitherToolOnThePathItNamesBothAndHowToInstall() throws IOException {
    Path empty = Files.createDirectories(folder.resolve("bin"));
    Files.writeString(empty.resolve("kubectl"), "not executable");

    assertThatThrownBy(() -> KustomizeTool.locate(Map.of("PATH", empty.toString())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("neither kubectl nor kustomize is on PATH")
        .hasMessageContaining("kubectl 1.27").hasMessageContaining("kustomize 5");
    assertThatThrownBy(() -> KustomizeTool.locate(Map.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kubectl").hasMessageContaining("kustomize");
    assertThatThrownBy(() -> Kustomize.locate(Map.of("PATH", empty.toString(), "MODELSHIP_KUSTOMIZE", "kubectl")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("neither kubectl nor kustomize is on PATH");
  }

  @Test
  void withNeitherToolTheEngineRendersWithTheBuiltInReader() throws IOException {
    Path empty = Files.createDirectories(folder.resolve("bin"));

    assertThat(Kustomize.locate(Map.of("PATH", empty.toString()))).isInstanceOf(BuiltInKustomize.class);
    assertThat(Kustomize.locate(Map.of())).isInstanceOf(BuiltInKustomize.class);
  }

  @Test
  void theChoiceCanBeForcedAndAnUnknownChoiceIsAnError() throws Exception {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    Path kubectl = script(bin, "kubectl", "echo kubectl");

    assertThat(Kustomize.locate(Map.of("PATH", bin.toString())).describe()).isEqualTo(kubectl + " kustomize");
    assertThat(Kustomize.locate(Map.of("PATH", bin.toString(), "MODELSHIP_KUSTOMIZE", "builtin")))
        .isInstanceOf(BuiltInKustomize.class);
    assertThat(Kustomize.locate(Map.of("PATH", bin.toString(), "MODELSHIP_KUSTOMIZE", "kubectl")).describe())
        .isEqualTo(kubectl + " kustomize");
    assertThatThrownBy(() -> Kustomize.locate(Map.of("PATH", bin.toString(), "MODELSHIP_KUSTOMIZE", "helm")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("MODELSHIP_KUSTOMIZE=helm")
        .hasMessageContaining("builtin").hasMessageContaining("kubectl");
  }

  @Test
  void withOnlyAStandaloneKustomizeItRunsKustomizeBuild() throws Exception {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    Path tool = script(bin, "kustomize", "echo \"args: $*\"");
    Path overlay = Files.createDirectories(folder.resolve("overlay"));

    KustomizeTool kustomize = KustomizeTool.locate(Map.of("PATH", folder.resolve("missing") + File.pathSeparator + bin));

    assertThat(kustomize.describe()).isEqualTo(tool + " build");
    assertThat(kustomize.render(overlay)).isEqualTo("args: build " + overlay + "\n");
  }

  @Test
  void kubectlIsPreferredWhereBothAreOnThePath() throws Exception {
    Path first = Files.createDirectories(folder.resolve("first"));
    Path second = Files.createDirectories(folder.resolve("second"));
    script(first, "kustomize", "echo standalone");
    Path kubectl = script(second, "kubectl", "echo \"kubectl $*\"");

    KustomizeTool kustomize = KustomizeTool.locate(Map.of("PATH", first + File.pathSeparator + second));

    assertThat(kustomize.describe()).isEqualTo(kubectl + " kustomize");
    assertThat(kustomize.render(folder)).isEqualTo("kubectl kustomize " + folder + "\n");
  }

  @Test
  void rendersAKustomizationWithTheRealTool() throws Exception {
    Path app = Files.createDirectories(folder.resolve("app"));
    Files.writeString(app.resolve("kustomization.yaml"), "namePrefix: staging-\nresources:\n  - configmap.yaml\n");
    Files.writeString(app.resolve("configmap.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: clicks\ndata:\n  greeting: hello\n");

    String yaml = installed().render(app);

    assertThat(yaml).contains("kind: ConfigMap").contains("name: staging-clicks").contains("greeting: hello");
  }

  @Test
  void aBrokenKustomizationIsAnErrorNamingTheFolderAndQuotingKustomize() throws Exception {
    Path app = Files.createDirectories(folder.resolve("broken"));
    Files.writeString(app.resolve("kustomization.yaml"), "resources:\n  - rollout-that-is-not-there.yaml\n");

    assertThatThrownBy(() -> installed().render(app)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("cannot render " + app + ": ")
        .hasMessageContaining("rollout-that-is-not-there.yaml");
  }

  @Test
  void aToolThatFailsSilentlyIsReportedWithItsExitCode() throws Exception {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    Path tool = script(bin, "kustomize", "exit 3");
    KustomizeTool kustomize = KustomizeTool.locate(Map.of("PATH", bin.toString()));

    assertThatThrownBy(() -> kustomize.render(folder)).isInstanceOf(IOException.class)
        .hasMessage("cannot render " + folder + ": " + tool + " build exited with 3");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aToolThatHangsIsStoppedAtTheTimeLimit() throws Exception {
    Path bin = Files.createDirectories(folder.resolve("bin"));
    script(bin, "kustomize", "echo partial output\nexec sleep 600");
    KustomizeTool kustomize = KustomizeTool.locate(Map.of("PATH", bin.toString())).withTimeout(Duration.ofSeconds(1));

    assertThatThrownBy(() -> kustomize.render(folder)).isInstanceOf(IOException.class)
        .hasMessageContaining("did not finish in 1 s: stopped it");
  }

  private static KustomizeTool installed() {
    return KustomizeTool.locate(System.getenv());
  }

  private static Path script(Path bin, String name, String body) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }
}
