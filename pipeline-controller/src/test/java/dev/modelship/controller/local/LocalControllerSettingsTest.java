package dev.modelship.controller.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelship.controller.rollout.local.Engine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code modelship up} refuses before starting anything. */
class LocalControllerSettingsTest {

  private static LocalController.Settings settings(String base, Engine engine) {
    return new LocalController.Settings(null, null, null, List.of("staging", "production"), "127.0.0.1", 0, 0, base,
        engine, null, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1), false, null, java.util.Set.of(), Map.of());
  }

  @Test
  void thePodmanEngineRefusesScratchImagesWhichHoldNoJava() {
    assertThatThrownBy(() -> settings("scratch", Engine.PODMAN)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--engine podman needs a serving image with a Java runtime: pass --base <image with "
            + "a JRE>, e.g. --base eclipse-temurin:17-jre");
  }

  @Test
  void thePodmanEngineTakesAJavaBaseAndTheProcessEngineAnyBase() {
    assertThat(settings("localhost/jre:17", Engine.PODMAN).engine()).isEqualTo(Engine.PODMAN);
    assertThat(settings(null, Engine.PODMAN).engine()).isEqualTo(Engine.PODMAN);
    assertThat(settings("scratch", Engine.PROCESS).engine()).isEqualTo(Engine.PROCESS);
  }
}
