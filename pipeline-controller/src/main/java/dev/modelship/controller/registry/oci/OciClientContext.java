package dev.modelship.controller.registry.oci;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What an {@link OciModelRegistry} takes from the machine it runs on: the clock that stamps published versions,
 * the environment variables and the Docker config file that may hold credentials. Tests pass their own.
 */
public record OciClientContext(Clock clock, Map<String, String> environment, Path dockerConfig) {

  public OciClientContext {
    environment = Map.copyOf(environment);
  }

  /**
   * The system clock, {@code System.getenv()}, and {@code $DOCKER_CONFIG/config.json} or
   * {@code ~/.docker/config.json}.
   */
  public static OciClientContext system() {
    Map<String, String> environment = System.getenv();
    String dockerFolder = environment.get("DOCKER_CONFIG");
    Path dockerConfig = dockerFolder != null && !dockerFolder.isBlank()
        ? Path.of(dockerFolder, "config.json")
        : Path.of(System.getProperty("user.home"), ".docker", "config.json");
    return new OciClientContext(Clock.systemUTC(), environment, dockerConfig);
  }
}
