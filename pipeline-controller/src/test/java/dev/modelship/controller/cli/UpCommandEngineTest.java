package dev.modelship.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.modelship.controller.config.ModelshipHome;
import dev.modelship.controller.rollout.local.Engine;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code modelship up --engine}: parsed before anything starts. */
class UpCommandEngineTest {
  @TempDir
  Path dir;

  @Test
  void theEngineIsProcessUnlessPodmanIsAsked() {
    UpCommand defaults = new UpCommand();
    new CommandLine(defaults).parseArgs();
    UpCommand podman = new UpCommand();
    new CommandLine(podman).parseArgs("--engine", "podman", "--base", "localhost/jre:17");

    assertThat(defaults.engine).isEqualTo(Engine.PROCESS);
    assertThat(podman.engine).isEqualTo(Engine.PODMAN);
  }

  @Test
  void anUnknownEngineNamesTheChoices() {
    CommandRun run = CommandRun.of(new UpCommand(), "--engine", "docker");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'docker' is no engine: give process or podman");
  }

  @Test
  void podmanWithTheDefaultScratchBaseFailsAtStartSayingWhatToPass() {
    ModelshipHome home = new ModelshipHome(dir.resolve("home"));
    CommandRun run = CommandRun.of(new UpCommand(new RegistryAccess(home, Map.of(), null),
        new GitOpsAccess(Map.of(), home)), "--engine", "podman", "--port", "0", "--app-port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("error: --engine podman needs a serving image with a Java runtime: pass --base");
  }

  @Test
  void theReleaseCommandsRunOptionIsRefusedRatherThanIgnored() {
    ModelshipHome home = new ModelshipHome(dir.resolve("home"));
    CommandRun run = CommandRun.of(new UpCommand(new RegistryAccess(home, Map.of(), null),
        new GitOpsAccess(Map.of(), home)), "--run", "mine", "--port", "0", "--app-port", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("error: --run does not apply to up");
    assertThat(dir.resolve("home/controller.json")).doesNotExist();
  }

  @Test
  void theHelpSaysWhatEachEngineDoes() {
    CommandRun run = CommandRun.of(new UpCommand(), "--help");

    assertThat(run.out()).contains("--engine=process|podman").contains("process (default)")
        .contains("podman: a podman container of the whole image");
  }
}
