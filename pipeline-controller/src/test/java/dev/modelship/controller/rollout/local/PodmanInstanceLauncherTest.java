package dev.modelship.controller.rollout.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelship.controller.image.LocalImageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The podman engine's decisions that need no podman: its command line, its options, and its refusals. */
class PodmanInstanceLauncherTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void runsTheImageUnderTheConfiguredRuntimeAndLimitsOnALoopbackPortWithItsLabels() {
    List<String> args = PodmanInstanceLauncher.runArguments(PodmanInstanceLauncher.Options.DEFAULTS,
        "modelship-clicks-0-abc", 40123, "clicks", "0123456789abcdef", Path.of("/home/me/.modelship/logs/c.log"),
        "f0e956a679c6");

    assertThat(args).containsExactly("run", "--detach", "--rm", "--runtime", "/usr/sbin/runc",
        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1000:1000", "--publish", "127.0.0.1:40123:8080",
        "--name", "modelship-clicks-0-abc", "--label", "modelship.dev/app=clicks",
        "--label", "modelship.dev/home=0123456789abcdef", "--log-driver", "k8s-file",
        "--log-opt", "path=/home/me/.modelship/logs/c.log", "f0e956a679c6",
        "--intra-op-threads", "1", "--drain-timeout", "10s");
  }

  @Test
  void anEmptyRuntimeAndNoLimitsLeavePodmansOwnDefaults() {
    List<String> args = PodmanInstanceLauncher.runArguments(new PodmanInstanceLauncher.Options("podman", "",
        List.of()), "n", 1, "clicks", "h", Path.of("/l.log"), "image");

    assertThat(args).doesNotContain("--runtime", "--ulimit").startsWith("run", "--detach", "--rm", "--publish");
  }

  @Test
  void optionsDefaultToRuncWithLimitsAndAreReplacedByTheEnvironment() {
    assertThat(PodmanInstanceLauncher.Options.fromEnvironment(Map.of()))
        .isEqualTo(new PodmanInstanceLauncher.Options("podman", "/usr/sbin/runc",
            List.of("nofile=1024:1024", "nproc=1000:1000")));
    assertThat(PodmanInstanceLauncher.Options.fromEnvironment(Map.of("MODELSHIP_PODMAN", "/opt/podman",
        "MODELSHIP_PODMAN_RUNTIME", "/usr/bin/crun", "MODELSHIP_PODMAN_ULIMITS", " nofile=4096:4096 , ")))
        .isEqualTo(new PodmanInstanceLauncher.Options("/opt/podman", "/usr/bin/crun", List.of("nofile=4096:4096")));
    assertThat(PodmanInstanceLauncher.Options.fromEnvironment(Map.of("MODELSHIP_PODMAN_RUNTIME", "",
        "MODELSHIP_PODMAN_ULIMITS", ""))).isEqualTo(new PodmanInstanceLauncher.Options("podman", "", List.of()));
  }

  @Test
  void withoutPodmanTheErrorSaysHowToInstallIt() throws IOException {
    Path emptyPath = Files.createDirectories(dir.resolve("bin"));

    assertThatThrownBy(() -> PodmanCli.locate("podman", Map.of("PATH", emptyPath.toString())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("podman is not on PATH")
        .hasMessageContaining("apt-get install podman runc");
    assertThatThrownBy(() -> PodmanCli.locate(dir.resolve("nowhere/podman").toString(), Map.of()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not an executable podman")
        .hasMessageContaining("apt-get install podman runc");
  }

  @Test
  void withoutTheConfiguredRuntimeTheErrorNamesItAndHowToChooseAnother() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path podman = Files.writeString(bin.resolve("podman"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(podman, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThatThrownBy(() -> PodmanInstanceLauncher.create(new LocalImageStore(dir.resolve("images")), dir,
        dir.resolve("logs"), new PodmanInstanceLauncher.Options("podman", dir.resolve("runc").toString(), List.of()),
        Map.of("PATH", bin.toString()), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the container runtime " + dir.resolve("runc") + " is missing")
        .hasMessageContaining("apt-get install podman runc").hasMessageContaining("MODELSHIP_PODMAN_RUNTIME");
  }

  @Test
  void anImageOnScratchIsRefusedWithWhatToPassInstead() throws IOException {
    LocalImageStore.ImageConfig scratch = config(Map.of("org.opencontainers.image.base.name", "scratch",
        "dev.modelship.model.name", "clicks"));

    assertThatThrownBy(() -> PodmanInstanceLauncher.servedModel("modelship.local/serving@sha256:1", scratch))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("image modelship.local/serving@sha256:1 was built on --base scratch")
        .hasMessageContaining("--engine podman needs a serving image with a Java runtime: pass --base <image with "
            + "a JRE>, e.g. --base eclipse-temurin:17-jre");
  }

  @Test
  void theModelToWarmUpComesFromTheImageLabelsAndAnImageWithoutOneIsNoServingImage() throws IOException {
    assertThat(PodmanInstanceLauncher.servedModel("i", config(Map.of("org.opencontainers.image.base.name",
        "eclipse-temurin:17-jre", "dev.modelship.model.name", "clicks")))).isEqualTo("clicks");
    assertThatThrownBy(() -> PodmanInstanceLauncher.servedModel("i", config(Map.of())))
        .hasMessageContaining("not a Modelship serving image");
  }

  @Test
  void containerNamesSayAppIndexAndImageAndDifferEachStart() {
    String digest = "sha256:" + "0123456789ab".repeat(5) + "cdef";
    String first = PodmanInstanceLauncher.containerName("clicks", 2, digest);

    assertThat(first).matches("modelship-clicks-2-0123456789ab-[0-9a-f]{8}");
    assertThat(PodmanInstanceLauncher.containerName("clicks", 2, digest)).isNotEqualTo(first);
  }

  @Test
  void theHomeLabelIsTheSameForTheSameFolderHoweverWrittenAndDiffersBetweenHomes() {
    String home = PodmanInstanceLauncher.homeLabel(dir.resolve("home"));

    assertThat(home).matches("[0-9a-f]{16}");
    assertThat(PodmanInstanceLauncher.homeLabel(dir.resolve("x/../home"))).isEqualTo(home);
    assertThat(PodmanInstanceLauncher.homeLabel(dir.resolve("other"))).isNotEqualTo(home);
  }

  private static LocalImageStore.ImageConfig config(Map<String, String> labels) {
    return new LocalImageStore.ImageConfig("sha256:" + "a".repeat(64),
        JSON.valueToTree(Map.of("config", Map.of("Labels", labels))));
  }
}
