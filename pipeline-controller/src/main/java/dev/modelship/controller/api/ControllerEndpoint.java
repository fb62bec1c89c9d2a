package dev.modelship.controller.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelship.controller.config.ModelshipHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Where the running controller listens: {@code $MODELSHIP_HOME/controller.json}, written by {@code modelship up}
 * once its API is up and removed when it stops, read by {@code status}, {@code promote}, {@code abort},
 * {@code history}.
 */
public record ControllerEndpoint(String url, long pid) {

  public static Path file(ModelshipHome home) {
    return home.root().resolve("controller.json");
  }

  public void write(ModelshipHome home) throws IOException {
    Path file = file(home);
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), "controller", ".json");
    Files.write(temp, ControllerApi.JSON.writeValueAsBytes(Map.of("url", url, "pid", pid)));
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The running controller, or a clear error saying how to start one. */
  public static ControllerEndpoint read(ModelshipHome home) throws IOException {
    Path file = file(home);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no controller is running for " + home.root() + " (start one with ./modelship up)");
    }
    JsonNode json = ControllerApi.JSON.readTree(Files.readAllBytes(file));
    long pid = json.path("pid").asLong();
    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return new ControllerEndpoint(json.path("url").asText(), pid);
    }
    throw new IOException("the controller recorded in " + file + " (pid " + pid + ") is not running (start one "
        + "with ./modelship up)");
  }

  public static void remove(ModelshipHome home) throws IOException {
    Files.deleteIfExists(file(home));
  }
}
